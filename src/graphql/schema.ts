// Imports every type file, then builds. Nothing else.
import { builder } from './builder.js';
import './types/scalars.js';
import './types/health.js';
import './types/viewer.js';
import './types/business.js';
import './types/location.js';
import './types/inboxEvent.js';
import './types/enums.js';
import './types/staff.js';
import './types/client.js';
import './types/conversation.js';
import './types/message.js';
import './types/apiKey.js';
import './types/authToken.js';
import './types/signInLink.js';
import './types/businessSettings.js';
import './types/onboarding.js';
import './types/sending.js';
import './types/voice.js';
import './types/webhookEndpoint.js';
import './types/webhookDelivery.js';
import './types/label.js';
import './types/savedReply.js';
import './types/inboxReport.js';
import './types/sender.js';
import './types/campaign.js';

builder.queryType({});
builder.mutationType({});

export const schema = builder.toSchema({ sortSchema: true });
