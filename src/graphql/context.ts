import type { Deps } from '../domain/deps.js';
import type { Principal } from '../domain/auth/principal.js';

/** Per-operation context: the domain's dependencies and who is calling (resolved at the edge). */
export interface GraphQLContext {
  deps: Deps;
  principal: Principal | null;
}
