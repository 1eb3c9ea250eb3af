/** A staff member's name as people read it: first and last name (the GraphQL Staff.name). */
export function staffName(staff: { firstName: string; lastName: string | null }): string {
  return [staff.firstName, staff.lastName].filter(Boolean).join(' ');
}
