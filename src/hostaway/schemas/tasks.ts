import * as z from 'zod';
import { DateTime, flag, int, num, str } from './fields.js';

// ---------------------------------------------------------------------------------------------------
// Tasks (_task_*.md)

export const TASK_STATUSES = ['pending', 'confirmed', 'inProgress', 'completed', 'cancelled'] as const;
export const TASK_EVENTS = ['arrival', 'departure', 'previousArrival', 'previousDeparture'] as const;
export const Task = z.looseObject({
  id: z.number().int(),
  listingMapId: int,
  channelId: int,
  reservationId: int,
  autoTaskId: int,
  assigneeUserId: int,
  canBePickedByGroupId: int,
  supervisorUserId: int,
  createdByUserId: int,
  isUpdatedManually: flag,
  checklistTemplateId: int,
  reservationUnitId: int,
  title: z.string(),
  description: str,
  canStartFrom: str,
  canStartFromListingTime: str,
  canStartFromEvent: str,
  canStartFromEventDelta: int,
  shouldEndBy: str,
  shouldEndByListingTime: str,
  shouldEndByEvent: str,
  shouldEndByEventDelta: int,
  status: str,
  resolutionNote: str,
  feedbackScore: int,
  feedbackNote: str,
  startedAt: str,
  confirmedAt: str,
  completedAt: str,
  priority: int,
  cost: num,
  costCurrency: str,
  costDescription: str,
  color: str,
  expense: z.unknown().nullish(),
  rank: int,
  checklistItems: z.array(z.unknown()).nullish(),
  customFieldValue: z.array(z.unknown()).nullish(),
  categoriesMap: z.array(z.number().int()).nullish(),
});
export type Task = z.infer<typeof Task>;

/** Body of `POST /v1/tasks` and `PUT /v1/tasks/{id}`: a task object without its id. */
export const TaskWriteBody = z.object({
  title: z.string().trim().min(1, 'title must not be empty').max(255),
  description: z.string().nullish(),
  listingMapId: z.number().int().positive().nullish(),
  channelId: z.number().int().nullish(),
  reservationId: z.number().int().positive().nullish(),
  assigneeUserId: z.number().int().nullish(),
  canStartFrom: DateTime.nullish(),
  shouldEndBy: DateTime.nullish(),
  status: z.enum(TASK_STATUSES).nullish(),
  priority: z.number().int().nullish(),
  cost: z.number().nullish(),
  costCurrency: z.string().nullish(),
  color: z.string().nullish(),
  categoriesMap: z.array(z.number().int().min(1).max(6)).nullish(),
  resolutionNote: z.string().nullish(),
});
