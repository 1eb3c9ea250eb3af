import type { Tracer } from '../observability/tracer.js';
import type { Channels, EmailChannel, SmsChannel } from './types.js';

/** One provider call as observed: who, what, whether it succeeded (a classified failure or a throw is not ok), how long. */
export interface ProviderCall {
  provider: string;
  operation: 'send' | 'list_sent';
  ok: boolean;
  seconds: number;
}

/**
 * The channels with each provider call timed and reported to `observe` (createDeps: the
 * omega_provider_call_duration_seconds histogram). Wraps whatever adapter is configured (Twilio,
 * Resend, the sandbox, or one a test passes), so the measure sits around the real call. With a
 * tracer (OpenTelemetry on), each send is a span `omega.send` carrying the message id, parent of
 * the provider's HTTP call.
 */
export function instrumentChannels(channels: Channels, observe: (call: ProviderCall) => void, tracer?: Tracer): Channels {
  const timed = async <R extends { ok: boolean }>(provider: string, operation: ProviderCall['operation'], call: () => Promise<R>): Promise<R> => {
    const started = performance.now();
    let ok = false;
    try {
      const result = await call();
      ok = result.ok;
      return result;
    } finally {
      observe({ provider, operation, ok, seconds: (performance.now() - started) / 1000 });
    }
  };
  const traced = <R>(channel: 'sms' | 'email', provider: string, request: { messageId: string; attempt: number }, send: () => Promise<R>): Promise<R> =>
    tracer ? tracer.inSpan('omega.send', { 'omega.message_id': request.messageId, 'omega.channel': channel, 'omega.provider': provider, 'omega.attempt': request.attempt }, send) : send();
  const sms = channels.sms;
  const email = channels.email;
  const timedSms: SmsChannel = {
    get provider() {
      return sms.provider;
    },
    get defaultSender() {
      return sms.defaultSender;
    },
    get listSettleMs() {
      return sms.listSettleMs;
    },
    send: (request) => traced('sms', sms.provider, request, () => timed(sms.provider, 'send', () => sms.send(request))),
    listSent: (query) => timed(sms.provider, 'list_sent', () => sms.listSent(query)),
  };
  const timedEmail: EmailChannel = {
    get provider() {
      return email.provider;
    },
    get defaultFrom() {
      return email.defaultFrom;
    },
    send: (request) => traced('email', email.provider, request, () => timed(email.provider, 'send', () => email.send(request))),
  };
  return { ...channels, sms: timedSms, email: timedEmail };
}
