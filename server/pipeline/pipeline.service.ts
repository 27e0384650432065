// STUB: replaced by the CRM issue.
/** Gives a new workspace its default "Sales" pipeline (Lead, Qualified, Proposal, Won, Lost). */
export async function createDefaultPipeline(_workspaceId: string, _ownerId: string, _now: Date): Promise<void> {}
