// A person who signs in. `session_version` is bumped on sign-out (and deactivation), which
// invalidates every session JWT issued before it; `deactivated_at` switches off the user's
// sessions and keys on their next request.
import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { snakeTimestamps, toJSONPlugin } from '../shared/mongoose-plugins';

const userSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    name: { type: String, required: true, trim: true, maxlength: 100 },
    password_hash: { type: String, required: true },
    session_version: { type: Number, required: true, default: 0 },
    deactivated_at: { type: Date, default: null },
  },
  { strict: true, ...snakeTimestamps },
);
userSchema.index({ email: 1 }, { unique: true });
userSchema.plugin(toJSONPlugin, { private: ['password_hash', 'session_version'] });

export type User = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId; created_at: Date };
export const UserModel = mongoose.model('User', userSchema, 'users');

export interface UserView {
  id: string;
  email: string;
  name: string;
  created_at: string;
}

export const userView = (u: Pick<User, '_id' | 'email' | 'name' | 'created_at'>): UserView => ({
  id: String(u._id),
  email: u.email,
  name: u.name,
  created_at: new Date(u.created_at).toISOString(),
});
