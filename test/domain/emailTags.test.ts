import { describe, expect, it } from 'vitest';
import { emailTags, readEmailTags } from '../../src/domain/sending/emailTags.js';

describe('emailTags / readEmailTags', () => {
  const id = '0193889f-cf03-7f62-a0a2-f944eec3e71d';

  it('reads back what it writes, as a list (the send) or an object (Resend webhooks)', () => {
    const tags = emailTags(id, 'spa-downtown_1');
    expect(readEmailTags(tags)).toEqual({ messageId: id, businessId: 'spa-downtown_1' });
    expect(readEmailTags(Object.fromEntries(tags.map((t) => [t.name, t.value])))).toEqual({ messageId: id, businessId: 'spa-downtown_1' });
  });

  it('leaves out a business id a tag cannot carry, and reads nothing from anything else', () => {
    expect(emailTags(id, 'spa & co')).toEqual([{ name: 'omega_message_id', value: id }]);
    expect(readEmailTags({ omega_message_id: 'a b', omega_business_id: 42 })).toEqual({ messageId: null, businessId: null });
    expect(readEmailTags(null)).toEqual({ messageId: null, businessId: null });
    expect(readEmailTags('omega_message_id')).toEqual({ messageId: null, businessId: null });
  });
});
