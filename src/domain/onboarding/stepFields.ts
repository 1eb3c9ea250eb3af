/** The columns of a step that status views show (never `input`, which can hold thousands of client rows). */
export const STEP_PUBLIC_FIELDS = {
  id: true,
  onboardingId: true,
  businessId: true,
  name: true,
  status: true,
  attempts: true,
  errorCode: true,
  errorMessage: true,
  result: true,
  startedAt: true,
  finishedAt: true,
  createdAt: true,
  updatedAt: true,
} as const;
