// Checks what a deal points at: a pipeline and one of its stages, and a contact, all visible to
// the caller and in the deal's workspace. A bad reference is a 422 on that field, never a 404,
// so a client can tell "this deal is missing" from "what you sent names something missing".
import type { Actor, WorkspaceReach } from '../access/actor';
import { reachOf, resolveWorkspace } from '../access/visibility';
import { findVisibleContact } from '../contacts/contacts.service';
import { defaultPipeline, findVisiblePipeline, firstStage, stageIn } from '../pipeline/pipeline.service';
import type { PipelineDoc } from '../pipeline/pipeline.model';
import { AppError } from '../shared/errors';

export const invalidField = (field: string, message: string): AppError =>
  new AppError('invalid_request', `${field}: ${message}`, { errors: [{ field, message }] });

/** The workspace and pipeline of a new deal: the named pipeline's, else the workspace's first. */
export async function pipelineForNewDeal(
  actor: Actor,
  pipelineId: string | undefined,
  workspaceId: string | undefined,
): Promise<{ reach: WorkspaceReach; pipeline: PipelineDoc }> {
  if (pipelineId) {
    if (workspaceId) resolveWorkspace(actor, workspaceId);
    const pipeline = await findVisiblePipeline(actor, pipelineId, workspaceId);
    if (!pipeline) throw invalidField('pipeline_id', 'No such pipeline in a workspace you can reach');
    return { reach: reachOf(actor, String(pipeline.workspace_id))!, pipeline };
  }
  const reach = resolveWorkspace(actor, workspaceId);
  const pipeline = await defaultPipeline(actor, reach.id);
  if (!pipeline) throw invalidField('pipeline_id', 'This workspace has no pipeline');
  return { reach, pipeline };
}

export async function pipelineInWorkspace(
  actor: Actor,
  pipelineId: string,
  workspaceId: string,
): Promise<PipelineDoc> {
  const pipeline = await findVisiblePipeline(actor, pipelineId, workspaceId);
  if (!pipeline) throw invalidField('pipeline_id', "No such pipeline in the deal's workspace");
  return pipeline;
}

/** The stage id to store: the one asked for (it must be in `pipeline`), else the first stage. */
export function stageFor(pipeline: PipelineDoc, stageId: string | undefined): string {
  if (stageId === undefined) return String(firstStage(pipeline)!.id);
  const stage = stageIn(pipeline, stageId);
  if (!stage) throw invalidField('stage_id', `Not a stage of the pipeline ${String(pipeline._id)}`);
  return String(stage.id);
}

export async function contactFor(
  actor: Actor,
  contactId: string | null | undefined,
  workspaceId: string,
): Promise<string | null> {
  if (contactId === undefined || contactId === null) return null;
  const contact = await findVisibleContact(actor, contactId, workspaceId);
  if (!contact) throw invalidField('contact_id', "No such contact in the deal's workspace");
  return String(contact._id);
}
