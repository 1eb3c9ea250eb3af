// What a call should do next, in Omega's words; src/channels/twilio/renderVoiceTwiml.ts turns it
// into TwiML. Keeping Twilio's XML out of the domain keeps the decisions testable on their own.

export type CallPlan =
  /** Connect the caller (a staff member's browser) to a phone number, showing the location's number. */
  | { kind: 'dial_number'; callerId: string; number: string; timeoutSeconds: number; actionUrl: string; statusCallbackUrl: string }
  /** Ring staff members' browser clients at once; the first to answer takes the call. */
  | { kind: 'ring_staff'; identities: string[]; timeoutSeconds: number; actionUrl: string; statusCallbackUrl: string }
  /** Nobody answered: record a message. */
  | { kind: 'voicemail'; greeting: string; maxLengthSeconds: number; actionUrl: string; recordingStatusCallbackUrl: string }
  | { kind: 'say_and_hang_up'; text: string }
  | { kind: 'hang_up' };

export interface CallUrls {
  dialEnded(callId: string): string;
  voicemail(callId: string): string;
  status(callId: string): string;
}

/** Our callback URLs for one call; the call id rides along, and Twilio's signature covers it. */
export function callUrls(publicBaseUrl: string): CallUrls {
  return {
    dialEnded: (id) => `${publicBaseUrl}/voice-calls/twiml?step=dial-ended&call_id=${id}`,
    voicemail: (id) => `${publicBaseUrl}/voice-calls/twiml?step=voicemail&call_id=${id}`,
    status: (id) => `${publicBaseUrl}/twilio/voice/status?call_id=${id}`,
  };
}
