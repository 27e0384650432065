// Pipelines and their ordered stages. Stages are embedded: a deal's stage is valid exactly when
// its id is among its pipeline's stage ids, checked in one read.
import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

const stageSchema = new Schema(
  {
    id: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true, maxlength: 100 },
    position: { type: Number, required: true },
  },
  { _id: false, strict: true },
);

const pipelineSchema = new Schema(
  {
    workspace_id: { type: Schema.Types.ObjectId, required: true },
    owner_id: { type: Schema.Types.ObjectId, required: true },
    visibility: { type: String, enum: ['private', 'workspace'], required: true, default: 'workspace' },
    name: { type: String, required: true, maxlength: 100 },
    stages: { type: [stageSchema], required: true },
    // Set from ctx.now() by the service (not mongoose timestamps) so tests can move the clock.
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
  },
  { strict: true, versionKey: false },
);
pipelineSchema.index({ workspace_id: 1, created_at: -1, _id: -1 });
pipelineSchema.index({ workspace_id: 1, updated_at: -1 });

export type PipelineDoc = InferSchemaType<typeof pipelineSchema> & { _id: Types.ObjectId };
export const PipelineModel = mongoose.model('Pipeline', pipelineSchema, 'pipelines');
