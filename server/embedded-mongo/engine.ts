// The only place that talks to mingo: every query, projection, update and pipeline goes through here
// so the options that make mingo behave like mongod for BSON values are set once.
import type { Document } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import { Context } from 'mingo';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import { Query } from 'mingo/query';
import * as updateOps from 'mingo/operators/update';
import { updateMany, update as mingoUpdate } from 'mingo/updater';
import type { Options } from 'mingo/types';
import { CommandError, asCommandError, fail } from './errors';
import { typeQuery } from './bson-types';
import { isPlainObject } from './values';

// Built here rather than taken from mingo's default context because merged contexts keep the first
// definition of an operator, so our `$type` could not override mingo's.
const context = Context.init({
  accumulator: accumulatorOps,
  expression: expressionOps,
  pipeline: pipelineOps,
  projection: projectionOps,
  query: { ...queryOps, $type: typeQuery as never },
  window: windowOps,
});
export const mingoOptions = (extra: Partial<Options> = {}): Partial<Options> => ({
  context,
  useStrictMode: true,
  scriptEnabled: false,
  ...extra,
});

export type Predicate = (doc: Document) => boolean;

export function compileFilter(filter: unknown): Predicate {
  if (filter === undefined || filter === null) return () => true;
  if (!isPlainObject(filter)) return fail('TypeMismatch', 'filter must be an object');
  if (Object.keys(filter).length === 0) return () => true;
  try {
    const query = new Query(filter, mingoOptions());
    return (doc) => query.test(doc);
  } catch (err) {
    throw asCommandError(err, 'BadValue');
  }
}

export function project(docs: Document[], projection: Document, filter: Document = {}): Document[] {
  if (Object.keys(projection).length === 0) return docs;
  try {
    // The filter is passed again so positional (`field.$`) projections know which element matched.
    return new Query(filter, mingoOptions()).find<Document>(docs, projection).all();
  } catch (err) {
    throw asCommandError(err, 'BadValue');
  }
}

const UPDATE_OPERATORS = new Set([...Object.keys(updateOps), '$setOnInsert']);

export type UpdateKind = 'operators' | 'replacement' | 'pipeline';

export function classifyUpdate(u: unknown): UpdateKind {
  if (Array.isArray(u)) return 'pipeline';
  if (!isPlainObject(u)) return fail('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length === 0) return 'replacement';
  for (const op of ops)
    if (!UPDATE_OPERATORS.has(op))
      fail(
        'FailedToParse',
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
  if (ops.length !== keys.length) {
    const plain = keys.find((k) => !k.startsWith('$'));
    fail(
      'FailedToParse',
      `Unknown modifier: ${plain}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  return 'operators';
}

/**
 * Applies operator updates in place on `doc` (a private copy). `$setOnInsert` is mongod-only, so on insert it
 * is folded into `$set` and otherwise dropped.
 */
export function applyOperators(
  doc: Document,
  u: Document,
  filter: Document,
  arrayFilters: Document[] | undefined,
  inserting: boolean,
): void {
  const modifier: Document = { ...u };
  const onInsert = modifier.$setOnInsert as Document | undefined;
  delete modifier.$setOnInsert;
  if (inserting && onInsert) modifier.$set = { ...(modifier.$set as Document | undefined), ...onInsert };
  if (Object.keys(modifier).length === 0) return;
  try {
    mingoUpdate(doc, modifier, arrayFilters, inserting ? {} : filter, {
      cloneMode: 'deep',
      queryOptions: mingoOptions(),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/immutable field/.test(message)) throw new CommandError('ImmutableField', message.replace(/\.$/, ''));
    if (/would create a conflict/.test(message))
      throw new CommandError('ConflictingUpdateOperators', message.replace(/^u/, 'U'));
    throw asCommandError(err, 'BadValue');
  }
}

const UPDATE_PIPELINE_STAGES = new Set([
  '$addFields',
  '$set',
  '$project',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
]);

export function applyPipelineUpdate(doc: Document, pipeline: Document[]): Document {
  for (const stage of pipeline) {
    const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
    if (!name || !UPDATE_PIPELINE_STAGES.has(name))
      fail('InvalidOptions', `${name ?? 'stage'} is not allowed to be used within an update`);
  }
  const docs = [doc];
  try {
    updateMany(docs, {}, pipeline as never, {}, mingoOptions());
  } catch (err) {
    throw asCommandError(err, 'BadValue');
  }
  return docs[0] as Document;
}

const STAGES = new Set(Object.keys(pipelineOps));
const REFUSED_STAGES = new Set([
  '$out',
  '$merge',
  '$currentOp',
  '$collStats',
  '$indexStats',
  '$listSessions',
  '$changeStream',
  '$search',
  '$geoNear',
]);

export function validatePipeline(pipeline: unknown): Document[] {
  if (!Array.isArray(pipeline))
    return fail('TypeMismatch', "'pipeline' option must be specified as an array");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      fail('Location40323', 'A pipeline stage specification object must contain exactly one field.');
    }
    const name = Object.keys(stage)[0] as string;
    if (REFUSED_STAGES.has(name))
      fail('CommandNotSupported', `${name} is not supported by the embedded server`);
    if (!STAGES.has(name)) fail('Location40324', `Unrecognized pipeline stage name: '${name}'`);
  }
  return pipeline as Document[];
}

export function runPipeline(
  docs: Document[],
  pipeline: Document[],
  resolve: (name: string) => Document[],
  variables?: Document,
): Document[] {
  try {
    const options = mingoOptions({ collectionResolver: resolve, ...(variables ? { variables } : {}) });
    return new Aggregator(pipeline, options).run<Document>(docs);
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw asCommandError(err, 'BadValue');
  }
}
