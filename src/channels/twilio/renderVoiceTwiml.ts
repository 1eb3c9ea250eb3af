import twilio from 'twilio';
import type { CallPlan } from '../callPlan.js';

const VOICE = { language: 'en-US' as const };

/** A call plan as TwiML (Twilio's VoiceResponse builder escapes every value). */
export function renderVoiceTwiml(plan: CallPlan): string {
  const response = new twilio.twiml.VoiceResponse();
  switch (plan.kind) {
    case 'dial_number': {
      const dial = response.dial({ callerId: plan.callerId, answerOnBridge: true, timeout: plan.timeoutSeconds, action: plan.actionUrl, method: 'POST' });
      dial.number({ statusCallback: plan.statusCallbackUrl, statusCallbackMethod: 'POST', statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'] }, plan.number);
      break;
    }
    case 'ring_staff': {
      const dial = response.dial({ timeout: plan.timeoutSeconds, action: plan.actionUrl, method: 'POST' });
      for (const identity of plan.identities) {
        dial.client({ statusCallback: plan.statusCallbackUrl, statusCallbackMethod: 'POST', statusCallbackEvent: ['ringing', 'answered', 'completed'] }).identity(identity);
      }
      break;
    }
    case 'voicemail':
      response.say(VOICE, plan.greeting);
      response.record({
        action: plan.actionUrl,
        method: 'POST',
        maxLength: plan.maxLengthSeconds,
        playBeep: true,
        timeout: 5,
        recordingStatusCallback: plan.recordingStatusCallbackUrl,
        recordingStatusCallbackMethod: 'POST',
        recordingStatusCallbackEvent: ['completed'],
      });
      // Reached only when nothing was recorded (Twilio skips the action for an empty recording).
      response.say(VOICE, 'No message was recorded. Goodbye.');
      response.hangup();
      break;
    case 'say_and_hang_up':
      response.say(VOICE, plan.text);
      response.hangup();
      break;
    case 'hang_up':
      response.hangup();
      break;
  }
  return response.toString();
}

// Built once: the answer to every messaging webhook and status callback (a hot path).
const EMPTY_RESPONSE = new twilio.twiml.MessagingResponse().toString();

/** `<Response/>`: the answer of a webhook with nothing to say (inbound SMS, status callbacks). */
export function emptyTwiml(): string {
  return EMPTY_RESPONSE;
}
