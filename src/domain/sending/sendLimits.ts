// The send path's bounds on content, in one place for the validators that share them (queueSms,
// queueEmail, the batch that renders templates, saved replies).

/** Twilio's limit on a message body (characters); longer bodies are refused by the API. */
export const SMS_MAX_LENGTH = 1600;
export const SMS_MAX_MEDIA = 10;

export const EMAIL_SUBJECT_MAX = 998;
export const EMAIL_HTML_MAX = 1_000_000;
export const EMAIL_TEXT_MAX = 500_000;
