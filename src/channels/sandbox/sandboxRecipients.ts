// The sandbox's test recipients (documented in README "Sending"). SMS numbers follow Twilio's test
// credentials ("magic numbers"); the others are the sandbox's own. Every other recipient is accepted
// and reported delivered a moment later.

export type SandboxBehaviour =
  | { outcome: 'reject'; kind: 'permanent' | 'transient'; code: string; message: string; httpStatus: number; consent?: 'sms_opt_out'; onlyFirstAttempt?: boolean }
  | { outcome: 'undelivered'; code: string; message: string };

export const SANDBOX_SMS: Record<string, SandboxBehaviour> = {
  '+15005550001': { outcome: 'reject', kind: 'permanent', code: '21211', message: "The 'To' number +15005550001 is not a valid phone number.", httpStatus: 400 },
  '+15005550002': {
    outcome: 'reject',
    kind: 'permanent',
    code: '21612',
    message: "The 'To' phone number: +15005550002, is not currently reachable using the 'From' phone number via SMS.",
    httpStatus: 400,
  },
  '+15005550003': {
    outcome: 'reject',
    kind: 'permanent',
    code: '21408',
    message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15005550003.",
    httpStatus: 400,
  },
  '+15005550004': { outcome: 'reject', kind: 'permanent', code: '21610', message: 'Attempt to send to unsubscribed recipient', httpStatus: 400, consent: 'sms_opt_out' },
  '+15005550009': { outcome: 'reject', kind: 'permanent', code: '21614', message: "'To' number +15005550009 is not a valid mobile number", httpStatus: 400 },
  '+15005550010': { outcome: 'undelivered', code: '30003', message: 'Unreachable destination handset' },
  '+15005550011': { outcome: 'reject', kind: 'transient', code: '20500', message: 'Internal Server Error (sandbox: first attempt only)', httpStatus: 500, onlyFirstAttempt: true },
};

export const SANDBOX_EMAIL: Record<string, SandboxBehaviour> = {
  'invalid@sandbox.omega.local': { outcome: 'reject', kind: 'permanent', code: 'validation_error', message: 'Invalid `to` field: the sandbox refuses invalid@sandbox.omega.local.', httpStatus: 422 },
  'bounce@sandbox.omega.local': { outcome: 'undelivered', code: 'bounced', message: 'The recipient mail server permanently rejected the email (sandbox).' },
  'bounced@resend.dev': { outcome: 'undelivered', code: 'bounced', message: 'The recipient mail server permanently rejected the email (sandbox).' },
  'retry@sandbox.omega.local': {
    outcome: 'reject',
    kind: 'transient',
    code: 'rate_limit_exceeded',
    message: 'Too many requests (sandbox: first attempt only)',
    httpStatus: 429,
    onlyFirstAttempt: true,
  },
};
