import { Channel, ConversationStatus, Direction, MessageStatus, StaffAvailability, VoiceCallStatus } from '../../generated/prisma/enums.js';
import { builder } from '../builder.js';

export const ConversationStatusEnum = builder.enumType(ConversationStatus, { name: 'ConversationStatus' });
export const ChannelEnum = builder.enumType(Channel, { name: 'Channel' });
export const DirectionEnum = builder.enumType(Direction, { name: 'Direction' });
export const MessageStatusEnum = builder.enumType(MessageStatus, { name: 'MessageStatus' });
export const VoiceCallStatusEnum = builder.enumType(VoiceCallStatus, { name: 'VoiceCallStatus' });
export const StaffAvailabilityEnum = builder.enumType(StaffAvailability, { name: 'StaffAvailability', description: 'online: may be auto-assigned conversations; away: is not.' });
export const InboxViewEnum = builder.enumType('InboxView', {
  description:
    'inbox: everything but archived (default); unread/read/replied/unreplied exclude archived; mentions: where a note mentioned the viewer (a session, or viewerStaffId with an API key), unread mentions first, not archived.',
  values: ['inbox', 'all', 'open', 'snoozed', 'archived', 'unread', 'read', 'replied', 'unreplied', 'mentions'] as const,
});
