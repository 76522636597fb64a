/**
 * The sandbox's reviews (_review_*.md) and tasks (_task_*.md). Reviews are read only, built from their
 * seeds on first read; tasks can be created, changed and deleted, and each write fills the fields that
 * follow from the ones given (listing-local times, the moment a status was first reached).
 */

import { dateInZone, formatDateTime, parseDateTime, timeInZone } from '../../hostaway/dates.js';
import type { ReviewFilter, TaskFilter } from '../../hostaway/queries.js';
import type { Listing, Review, Task } from '../../hostaway/schemas.js';
import { type ReservationCore, reviewFromSeed } from '../data/generate.js';
import { badRequest, notFound } from '../http-error.js';
import type { StoreState } from './state.js';

export class SandboxReviews {
  private builtReviews: Review[] | undefined;

  constructor(private readonly state: StoreState) {}

  /** Reviews as wire objects, built on first read. */
  private get reviews(): Review[] {
    if (!this.builtReviews) {
      this.builtReviews = this.state.reviewSeeds.map((seed) => {
        const r = this.state.reservationById.get(seed.reservationId) as ReservationCore;
        return reviewFromSeed(
          seed,
          r,
          this.state.listingById.get(r.listingMapId) as Listing,
          this.state.accountId,
        );
      });
    }
    return this.builtReviews;
  }

  searchReviews(f: ReviewFilter): Review[] {
    const list = this.reviews.filter(
      (r) =>
        (!f.listingMapIds || f.listingMapIds.includes(r.listingMapId)) &&
        (f.reservationId === undefined || r.reservationId === f.reservationId) &&
        (!f.type || r.type === f.type) &&
        (!f.statuses || f.statuses.includes(r.status)) &&
        (!f.departureDateStart || (r.departureDate ?? '').slice(0, 10) >= f.departureDateStart) &&
        (!f.departureDateEnd || (r.departureDate ?? '').slice(0, 10) <= f.departureDateEnd),
    );
    const key = f.sortBy ?? 'id';
    const dir = f.sortOrder === 'desc' ? -1 : 1;
    return list.sort((a, b) => {
      const ka = a[key] ?? '';
      const kb = b[key] ?? '';
      return (ka < kb ? -1 : ka > kb ? 1 : a.id - b.id) * dir;
    });
  }

  review(id: number): Review {
    const r = this.reviews.find((x) => x.id === id);
    if (!r) throw notFound(`Review ${id} not found`);
    return r;
  }
}

export class SandboxTasks {
  constructor(private readonly state: StoreState) {}

  searchTasks(f: TaskFilter): Task[] {
    const match = f.match?.toLowerCase();
    const inRange = (v: string | null | undefined, start?: string, end?: string) => {
      const day = v?.slice(0, 10) ?? '';
      return (!start || (day !== '' && day >= start)) && (!end || (day !== '' && day <= end));
    };
    return [...this.state.taskById.values()]
      .filter(
        (t) =>
          (f.channelId === undefined || t.channelId === f.channelId) &&
          (f.reservationId === undefined || t.reservationId === f.reservationId) &&
          (!f.canStartFromEvent || t.canStartFromEvent === f.canStartFromEvent) &&
          (!f.shouldEndByEvent || t.shouldEndByEvent === f.shouldEndByEvent) &&
          (!f.status || t.status === f.status) &&
          (!match ||
            t.title.toLowerCase().includes(match) ||
            (t.description ?? '').toLowerCase().includes(match)) &&
          inRange(t.canStartFrom, f.canStartFromStart, f.canStartFromEnd) &&
          inRange(t.shouldEndBy, f.shouldEndByStart, f.shouldEndByEnd),
      )
      .sort((a, b) => a.id - b.id);
  }

  task(id: number): Task {
    const t = this.state.taskById.get(id);
    if (!t) throw notFound(`Task ${id} not found`);
    return t;
  }

  createTask(fields: Partial<Task> & { title: string }): Task {
    this.checkTaskLinks(fields);
    const task: Task = {
      id: this.state.nextTaskId++,
      listingMapId: null,
      channelId: null,
      reservationId: null,
      autoTaskId: null,
      assigneeUserId: null,
      canBePickedByGroupId: null,
      supervisorUserId: null,
      createdByUserId: null,
      isUpdatedManually: 0,
      checklistTemplateId: null,
      reservationUnitId: 0,
      description: null,
      canStartFrom: null,
      canStartFromListingTime: null,
      canStartFromEvent: null,
      canStartFromEventDelta: null,
      shouldEndBy: null,
      shouldEndByListingTime: null,
      shouldEndByEvent: null,
      shouldEndByEventDelta: null,
      status: 'pending',
      resolutionNote: null,
      feedbackScore: null,
      feedbackNote: null,
      startedAt: null,
      confirmedAt: null,
      completedAt: null,
      priority: null,
      cost: null,
      costCurrency: null,
      costDescription: null,
      color: null,
      expense: null,
      rank: 0,
      checklistItems: [],
      customFieldValue: [],
      categoriesMap: null,
      ...stripUndefined(fields),
      title: fields.title,
    };
    this.stampTask(task, undefined);
    this.state.taskById.set(task.id, task);
    return task;
  }

  /** Changes the fields given and no other (but for the ones derived from them). */
  updateTask(id: number, fields: Partial<Task>): Task {
    const current = this.task(id);
    this.checkTaskLinks(fields);
    const next: Task = { ...current, ...stripUndefined(fields), id, isUpdatedManually: 1 };
    this.stampTask(next, current);
    this.state.taskById.set(id, next);
    return next;
  }

  /**
   * Fills what follows from a task's fields: the start and end in the listing's time zone when either
   * time or the listing is new, and the moment it was confirmed, started or completed when its status
   * first moves there.
   */
  private stampTask(task: Task, before: Task | undefined): void {
    const zone =
      task.listingMapId != null ? this.state.listingById.get(task.listingMapId)?.timeZoneName : null;
    const local = (utc: string | null | undefined) => {
      if (!utc || !zone) return null;
      const at = parseDateTime(utc);
      return `${dateInZone(at, zone)} ${timeInZone(at, zone)}:${utc.slice(17, 19)}`;
    };
    const moved = (key: keyof Task) => before === undefined || task[key] !== before[key];
    if (moved('canStartFrom') || moved('listingMapId'))
      task.canStartFromListingTime = local(task.canStartFrom);
    if (moved('shouldEndBy') || moved('listingMapId')) task.shouldEndByListingTime = local(task.shouldEndBy);
    const now = formatDateTime(this.state.now());
    if (task.status === 'confirmed' && !task.confirmedAt) task.confirmedAt = now;
    if (task.status === 'inProgress' && !task.startedAt) task.startedAt = now;
    if (task.status === 'completed' && !task.completedAt) task.completedAt = now;
  }

  deleteTask(id: number): Task {
    const task = this.task(id);
    this.state.taskById.delete(id);
    return task;
  }

  private checkTaskLinks(fields: Partial<Task>): void {
    if (fields.listingMapId != null && !this.state.listingById.has(fields.listingMapId))
      throw badRequest(`listingMapId ${fields.listingMapId} does not match any listing`);
    if (fields.reservationId != null && !this.state.reservationById.has(fields.reservationId))
      throw badRequest(`reservationId ${fields.reservationId} does not match any reservation`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
