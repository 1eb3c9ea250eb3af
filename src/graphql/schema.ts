// Imports every type file, then builds. Nothing else.
import { builder } from './builder.js';
import './types/scalars.js';
import './types/health.js';
import './types/viewer.js';
import './types/business.js';
import './types/location.js';
import './types/inboxEvent.js';

builder.queryType({});

export const schema = builder.toSchema({ sortSchema: true });
