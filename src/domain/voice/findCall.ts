import type { VoiceCall } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { isUuid } from '../ids.js';

/** The call a Twilio callback is about: by our id in the callback URL, else by its CallSid, else by its parent's (a dialled leg). */
export async function findCall(deps: Deps, ref: { callId: string | null; callSid: string | null; parentCallSid: string | null }): Promise<VoiceCall | null> {
  if (ref.callId && isUuid(ref.callId)) {
    const byId = await deps.prisma.voiceCall.findUnique({ where: { id: ref.callId } });
    if (byId) return byId;
  }
  for (const sid of [ref.callSid, ref.parentCallSid]) {
    if (!sid) continue;
    const bySid = await deps.prisma.voiceCall.findUnique({ where: { providerCallSid: sid } });
    if (bySid) return bySid;
  }
  return null;
}
