// Pipelines: each workspace starts with "Sales"; deals reference a pipeline and one of its stages.
import mongoose from 'mongoose';
import type { Actor } from '../access/actor';
import { visibleFilter } from '../access/visibility';
import { AppError } from '../shared/errors';
import { toWire } from '../shared/mongoose-plugins';
import { paginate, type ListQuery, type Page } from '../shared/pagination';
import { PipelineModel, type PipelineDoc } from './pipeline.model';
import type { PipelineWire } from './pipeline.schemas';

export const DEFAULT_STAGES = ['Lead', 'Qualified', 'Proposal', 'Won', 'Lost'] as const;

export const pipelineToWire = (doc: Record<string, unknown>): PipelineWire => toWire<PipelineWire>(doc);

/** Gives a new workspace its default "Sales" pipeline (Lead, Qualified, Proposal, Won, Lost). */
export async function createDefaultPipeline(workspaceId: string, ownerId: string, now: Date): Promise<void> {
  await PipelineModel.create({
    workspace_id: workspaceId,
    owner_id: ownerId,
    visibility: 'workspace',
    name: 'Sales',
    stages: DEFAULT_STAGES.map((name, position) => ({ id: new mongoose.Types.ObjectId(), name, position })),
    created_at: now,
    updated_at: now,
  });
}

export async function listPipelines(actor: Actor, query: ListQuery): Promise<Page<PipelineWire>> {
  return paginate(PipelineModel, [visibleFilter(actor, query.workspace_id)], query, pipelineToWire);
}

/** A pipeline the actor can see (optionally required to be in `workspaceId`), else null. */
export async function findVisiblePipeline(
  actor: Actor,
  id: string,
  workspaceId?: string,
): Promise<PipelineDoc | null> {
  return PipelineModel.findOne({
    $and: [{ _id: id }, visibleFilter(actor, workspaceId)],
  }).lean<PipelineDoc>();
}

export async function getPipeline(actor: Actor, id: string): Promise<PipelineWire> {
  const doc = await findVisiblePipeline(actor, id);
  if (!doc) throw new AppError('not_found', 'Pipeline not found');
  return pipelineToWire(doc as unknown as Record<string, unknown>);
}

/** The workspace's first pipeline (the default one), used when a deal names none. */
export async function defaultPipeline(actor: Actor, workspaceId: string): Promise<PipelineDoc | null> {
  return PipelineModel.findOne(visibleFilter(actor, workspaceId))
    .sort({ created_at: 1, _id: 1 })
    .lean<PipelineDoc>();
}

export const stageIn = (pipeline: PipelineDoc, stageId: string) =>
  pipeline.stages.find((s) => String(s.id) === stageId.toLowerCase());

export const firstStage = (pipeline: PipelineDoc) =>
  [...pipeline.stages].sort((a, b) => a.position - b.position)[0];
