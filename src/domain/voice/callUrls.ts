export interface CallUrls {
  dialEnded(callId: string): string;
  voicemail(callId: string): string;
  status(callId: string): string;
}

/** Our callback URLs for one call (under PUBLIC_BASE_URL); the call id rides along, and Twilio's signature covers it. */
export function callUrls(publicBaseUrl: string): CallUrls {
  return {
    dialEnded: (id) => `${publicBaseUrl}/voice-calls/twiml?step=dial-ended&call_id=${id}`,
    voicemail: (id) => `${publicBaseUrl}/voice-calls/twiml?step=voicemail&call_id=${id}`,
    status: (id) => `${publicBaseUrl}/twilio/voice/status?call_id=${id}`,
  };
}
