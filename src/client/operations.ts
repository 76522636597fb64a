/**
 * Reviews, tasks and finance reports (_review_*.md, _task_*.md, _financeReport*.md), through the
 * client's one call path (client.ts).
 */
import * as z from 'zod';
import type { FinanceQuery, ReviewQuery, TaskQuery } from '../hostaway/queries.js';
import {
  FinanceReport,
  type FinanceReportKind,
  itemEnvelope,
  listEnvelope,
  Review,
  Task,
} from '../hostaway/schemas.js';
import { AnyEnvelope, type Call, page } from './endpoint-kit.js';

const ReviewsEnvelope = listEnvelope(Review);
const ReviewEnvelope = itemEnvelope(Review);
const TasksEnvelope = listEnvelope(Task);
const TaskEnvelope = itemEnvelope(Task);
const FinanceEnvelope = itemEnvelope(FinanceReport);

export function reviewEndpoints(call: Call) {
  const self = {
    /** [_review_retrieveList.md] */
    list: async (query: ReviewQuery = {}, signal?: AbortSignal) =>
      page(
        await call({
          method: 'GET',
          path: 'reviews',
          query: { ...query },
          schema: ReviewsEnvelope,
          what: 'the reviews list',
          idempotent: true,
          cache: 'reviews',
          signal,
        }),
      ),
    get: async (id: number, signal?: AbortSignal) =>
      (
        await call({
          method: 'GET',
          path: `reviews/${id}`,
          schema: ReviewEnvelope,
          what: `review ${id}`,
          idempotent: true,
          cache: 'reviews',
          signal,
        })
      ).result,
  };
  return self;
}

export function taskEndpoints(call: Call) {
  const self = {
    /** [_task_retrieveList.md] */
    list: async (query: TaskQuery = {}, signal?: AbortSignal) =>
      page(
        await call({
          method: 'GET',
          path: 'tasks',
          query: { ...query },
          schema: TasksEnvelope,
          what: 'the tasks list',
          idempotent: true,
          cache: 'tasks',
          signal,
        }),
      ),
    get: async (id: number, signal?: AbortSignal) =>
      (
        await call({
          method: 'GET',
          path: `tasks/${id}`,
          schema: TaskEnvelope,
          what: `task ${id}`,
          idempotent: true,
          cache: 'tasks',
          signal,
        })
      ).result,
    /** [_task_create.md] Not idempotent: a repeat would create a second task. */
    create: async (task: Record<string, unknown> & { title: string }, signal?: AbortSignal) =>
      (
        await call({
          method: 'POST',
          path: 'tasks',
          json: task,
          schema: TaskEnvelope,
          what: 'a new task',
          idempotent: false,
          invalidates: ['tasks'],
          signal,
        })
      ).result,
    update: async (id: number, fields: Record<string, unknown>, signal?: AbortSignal) =>
      (
        await call({
          method: 'PUT',
          path: `tasks/${id}`,
          json: fields,
          schema: TaskEnvelope,
          what: `task ${id}`,
          idempotent: true,
          invalidates: ['tasks'],
          signal,
        })
      ).result,
    delete: async (id: number, signal?: AbortSignal) => {
      await call({
        method: 'DELETE',
        path: `tasks/${id}`,
        schema: AnyEnvelope,
        what: `task ${id}`,
        idempotent: true,
        invalidates: ['tasks'],
        signal,
      });
    },
  };
  return self;
}

export function financeEndpoints(call: Call) {
  const self = {
    /** [_financialReporting_report*.md] JSON report (listingFinancials, consolidated). */
    report: async (
      kind: Extract<FinanceReportKind, 'listingFinancials' | 'consolidated'>,
      params: FinanceQuery = {},
      signal?: AbortSignal,
    ) =>
      (
        await call({
          method: 'POST',
          path: `finance/report/${kind}`,
          form: { ...params, format: 'json' },
          schema: FinanceEnvelope,
          what: `the ${kind} finance report`,
          idempotent: true,
          cache: 'finance',
          signal,
        })
      ).result,
    /** CSV of any report (standard and calculated exist only as CSV). */
    csv: async (
      kind: FinanceReportKind,
      params: FinanceQuery & { delimiter?: 'comma' | 'tab' } = {},
      signal?: AbortSignal,
    ): Promise<string> =>
      (await call({
        method: 'POST',
        path: `finance/report/${kind}`,
        form: { ...params, format: 'csv' },
        schema: z.string(),
        what: `the ${kind} finance report`,
        idempotent: true,
        cache: 'finance',
        text: true,
        signal,
      })) as string,
  };
  return self;
}
