// When is a (re)started subscription live? graphql-ws has no per-subscription acknowledgement: the
// server answers `subscribe` with results, or an error (CURSOR_EXPIRED, a refused session) once it
// has checked the cursor, which takes a database round trip. Neither the socket's `connected` nor a
// keep-alive pong proves the subscription was accepted (the server handles each message on its own).
//
// The rule: live on the first result of the new subscription. To have one at once, a resume starts
// one event early, `after:` the cursor before the last one received, so the server first sends the
// last event again: the cursor log drops it as a repeat, and it proves the subscription is accepted
// and events flow. It costs one event per resume; an error, the resume failing, comes instead of it,
// so the banner never goes away for a resume that failed.
//
// Only when no event came since the cursor was taken (a quiet inbox, or just after a reload) is
// there nothing to replay: then the subscription counts as live when its socket is connected, as no
// result may come for a long time and "Reconnecting…" would stay up for nothing. Its failure still
// comes as an error or a closed socket, which puts the banner back; the window where it says live
// too early is one server round trip, and only for a stream that has carried no event since the
// cursor was taken (a refusal then: CURSOR_EXPIRED after 30 quiet days, or a session that ended).
import type { CursorLog } from './cursorLog';

export interface ResumePlan {
  /** The cursor to subscribe after. */
  after: string | null;
  /** What makes it live: its first result (a replay of the last event), or the socket being connected. */
  liveOn: 'first-result' | 'socket';
}

export function resumePlan(log: Pick<CursorLog, 'last' | 'previous'>): ResumePlan {
  return log.previous !== null ? { after: log.previous, liveOn: 'first-result' } : { after: log.last, liveOn: 'socket' };
}
