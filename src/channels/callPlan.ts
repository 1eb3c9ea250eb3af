// What a call should do next, in neutral words: the voice domain decides it, and
// twilio/renderVoiceTwiml.ts turns it into TwiML, so Twilio's XML stays out of the domain.

export type CallPlan =
  /** Connect the caller (a staff member's browser) to a phone number, showing the location's number. */
  | { kind: 'dial_number'; callerId: string; number: string; timeoutSeconds: number; actionUrl: string; statusCallbackUrl: string }
  /** Ring staff members' browser clients at once; the first to answer takes the call. */
  | { kind: 'ring_staff'; identities: string[]; timeoutSeconds: number; actionUrl: string; statusCallbackUrl: string }
  /** Nobody answered: record a message. */
  | { kind: 'voicemail'; greeting: string; maxLengthSeconds: number; actionUrl: string; recordingStatusCallbackUrl: string }
  | { kind: 'say_and_hang_up'; text: string }
  | { kind: 'hang_up' };
