/** The payload of a conversation.updated event whose labels changed (change labels). */
export function labelsChangedPayload(added: readonly string[], removed: readonly string[]): Record<string, unknown> {
  return { change: 'labels', addedLabelIds: [...added], removedLabelIds: [...removed] };
}
