import type { TemplateValues } from './template.js';

/** What the variables stand for, from the rows a preview or a send already has. */
export function templateValues(from: {
  client: { firstName: string | null; lastName: string | null } | null;
  location: { name: string; smsPhoneNumber: string | null } | null;
  staffFirstName: string | null;
  businessName: string | null;
}): TemplateValues {
  return {
    'client.first_name': from.client?.firstName,
    'client.last_name': from.client?.lastName,
    'location.name': from.location?.name,
    'location.phone': from.location?.smsPhoneNumber,
    'staff.first_name': from.staffFirstName,
    'business.name': from.businessName,
  };
}
