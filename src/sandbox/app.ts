/**
 * The sandbox's HTTP surface: Hostaway's public API v1 paths, parameters and bodies, behind the same
 * gates as the real service (faults first, as infrastructure would; then the token; then the rate
 * limits), plus an admin API under `/_sandbox` that is off unless enabled.
 */
import { Hono } from 'hono';
import {
  CalendarIntervalsBody,
  CalendarUpdateBody,
  FINANCE_REPORT_KINDS,
  type FinanceReportKind,
  LISTING_SORT_ORDERS,
  type Listing,
  RESERVATION_SORT_ORDERS,
  REVIEW_STATUSES,
  REVIEW_TYPES,
  SendMessageBody,
  TASK_EVENTS,
  TASK_STATUSES,
  type Task,
  TaskWriteBody,
} from '../hostaway/schemas.js';
import { applyFault, type HeldAnswers } from './apply-fault.js';
import type { SandboxAuth } from './auth.js';
import { failBody, itemBody, listBody, pageBody, RATE_LIMIT_BODY } from './envelope.js';
import type { FaultInjector } from './faults.js';
import { buildReport, readReportRequest } from './finance.js';
import {
  attachedObjects,
  type Env,
  JSON_HEADERS,
  json,
  parseBody,
  pathId,
  reader,
  readForm,
  readFormOrJson,
  readJson,
} from './http.js';
import { badRequest, HttpError } from './http-error.js';
import { checkRange, ParamReader, readPaging } from './query.js';
import type { SandboxRateLimiter } from './rate-limit.js';
import type { RequestLog } from './request-log.js';
import { mountReservationWrites } from './reservation-routes.js';
import type { SandboxStore } from './store.js';
import { listedReservation, singleReservation } from './views.js';
import type { WebhookRegistry } from './webhook-registry.js';
import { mountWebhookAdmin, mountWebhookApi } from './webhook-routes.js';
import type { WebhookDispatcher } from './webhooks.js';

export interface AppDeps {
  /** Read at every request, so that a reset can swap the account under a running server. */
  store: () => SandboxStore;
  auth: SandboxAuth;
  limiter: SandboxRateLimiter | null;
  faults: FaultInjector;
  /** Answers a `hangAfterCommit` fault is holding back; the sandbox releases them when it closes. */
  held: HeldAnswers;
  log: RequestLog;
  admin: AdminHooks | null;
  /** The account's unified webhooks (they outlive a reset, as tokens do). */
  webhooks: WebhookRegistry;
  deliveries: WebhookDispatcher;
}

export interface AdminHooks {
  /** The sandbox seed: activity runs derive theirs from it. */
  seed: number;
  reset(): void;
  info(): Record<string, unknown>;
  advanceClock(ms: number): void;
}

const DEFAULT_RESERVATION_LIMIT = 100;

export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { auth, limiter, faults, log } = deps;

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.body(failBody(err.message), err.status, JSON_HEADERS);
    console.error(JSON.stringify({ level: 'error', msg: 'sandbox handler failed', error: String(err) }));
    return c.body(failBody('Internal server error'), 500, JSON_HEADERS);
  });
  app.notFound((c) => c.body(failBody(`No such endpoint: ${c.req.method} ${c.req.path}`), 404, JSON_HEADERS));

  // 1. Log every API request with its outcome.
  app.use('/v1/*', async (c, next) => {
    const started = performance.now();
    const at = Date.now();
    c.set('accountId', null);
    c.set('fault', null);
    c.set('rawStatus', null);
    try {
      await next();
    } finally {
      const url = new URL(c.req.url);
      log.add({
        at,
        method: c.req.method,
        path: url.pathname,
        query: url.search,
        status: c.get('rawStatus') ?? c.res.status,
        ip: c.env.incoming.socket.remoteAddress ?? '',
        accountId: c.get('accountId'),
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        fault: c.get('fault'),
        requestId: c.req.header('x-request-id') ?? null,
      });
    }
  });

  // 2. Injected faults stand in for the network and the load balancer, so they come before all else.
  app.use('/v1/*', async (c, next) => {
    const rule = faults.pick(c.req.method, c.req.path);
    if (!rule) return next();
    c.set('fault', rule.kind);
    return applyFault(c, rule, next, deps.held);
  });

  // 3. Token, then limits. The token endpoint has no bearer token: it counts against the IP budget only.
  app.use('/v1/*', async (c, next) => {
    let accountId: number | undefined;
    let denied: string | undefined;
    if (c.req.path !== '/v1/accessTokens') {
      const check = auth.check(c.req.header('authorization'));
      if (check.ok) accountId = check.accountId;
      else denied = check.message;
    }
    c.set('accountId', accountId ?? null);
    if (limiter) {
      const decision = limiter.admit(c.env.incoming.socket.remoteAddress ?? '', accountId, Date.now());
      if (!decision.ok) {
        return c.body(RATE_LIMIT_BODY, 429, {
          ...JSON_HEADERS,
          'retry-after': String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))),
        });
      }
    }
    if (denied) return c.body(failBody(denied), 403, JSON_HEADERS);
    return next();
  });

  // --- Authentication (_authentication.md)
  app.post('/v1/accessTokens', async (c) => {
    const form = await readForm(c);
    const issued = auth.issue(form);
    if (form.get('client_id')?.[0] === String(deps.store().accountId))
      c.set('accountId', deps.store().accountId);
    return issued.ok ? c.json(issued.body) : c.json(issued.body, issued.status);
  });
  app.delete('/v1/accessTokens', (c) => {
    const token = c.req.query('token');
    if (!token) throw badRequest('token is required: DELETE /v1/accessTokens?token=<token>');
    if (!auth.revoke(token)) throw new HttpError(404, 'Token not found');
    return c.body('{"status":"success","result":[]}', 200, JSON_HEADERS);
  });

  // --- Listings (_listing_retrieveListingsList.md, _listing_retrieveListing.md)
  app.get('/v1/listings', (c) => {
    const q = reader(c);
    const { limit, offset } = readPaging(q);
    const availabilityDateStart = q.date('availabilityDateStart');
    const availabilityDateEnd = q.date('availabilityDateEnd');
    checkRange('availabilityDateStart', availabilityDateStart, 'availabilityDateEnd', availabilityDateEnd);
    const latestActivityStart = q.date('latestActivityStart');
    const latestActivityEnd = q.date('latestActivityEnd');
    checkRange('latestActivityStart', latestActivityStart, 'latestActivityEnd', latestActivityEnd);
    q.int('userId');
    const withResources = q.bool('includeResources') ?? false;
    const items = deps.store().searchListings({
      sortOrder: q.oneOf('sortOrder', LISTING_SORT_ORDERS),
      city: q.string('city'),
      match: q.string('match'),
      country: q.string('country'),
      contactName: q.string('contactName'),
      propertyTypeId: q.int('propertyTypeId'),
      availabilityDateStart,
      availabilityDateEnd,
      availabilityGuestNumber: q.int('availabilityGuestNumber', { min: 1 }),
      latestActivityStart,
      latestActivityEnd,
      isBookingEngineActive: q.bool('isBookingEngineActive'),
    });
    const attach = attachedObjects(q);
    const store = deps.store();
    const view = (l: Listing) => {
      const hidden = withResources ? store.withHiddenCustomFields(l) : l;
      return attach ? store.listingWithUrls(hidden) : hidden;
    };
    return json(c, pageBody(attach || withResources ? items.map(view) : items, limit, offset));
  });
  app.get('/v1/listings/:id', (c) => {
    const store = deps.store();
    const listing = store.listing(pathId(c, 'id', 'listingId'));
    return json(c, itemBody(attachedObjects(reader(c)) ? store.listingWithUrls(listing) : listing));
  });

  // --- Calendar (_calendar_retrieveCalendar.md, _calendar_updateCalendar.md, _calendar_batchCalendarUpdate.md)
  app.get('/v1/listings/:id/calendar', (c) => {
    const q = reader(c);
    const days = deps
      .store()
      .calendar(
        pathId(c, 'id', 'listingId'),
        q.date('startDate'),
        q.date('endDate'),
        q.bool('includeResources') ?? false,
      );
    return json(c, `{"status":"success","result":${JSON.stringify(days)}}`);
  });
  app.put('/v1/listings/:id/calendar', async (c) => {
    const id = pathId(c, 'id', 'listingId');
    const body = parseBody(CalendarUpdateBody, await readJson(c));
    return json(c, `{"status":"success","result":${JSON.stringify(deps.store().updateCalendar(id, body))}}`);
  });
  app.put('/v1/listings/:id/calendarIntervals', async (c) => {
    const id = pathId(c, 'id', 'listingId');
    const intervals = parseBody(CalendarIntervalsBody, await readJson(c));
    deps.store().updateCalendarIntervals(id, intervals);
    return json(c, '{"status":"success","result":[]}');
  });

  // --- Reservations (_reservation_retrieveReservationsList.md, _reservation_retrieveReservation.md)
  app.get('/v1/reservations', (c) => {
    const q = reader(c);
    const limit = q.int('limit', { min: 1, max: 10_000 }) ?? DEFAULT_RESERVATION_LIMIT;
    const afterId = q.int('afterId', { min: 1 });
    const offset = afterId === undefined ? (q.int('offset', { min: 0 }) ?? 0) : 0;
    const filter = {
      sortOrder: q.oneOf('sortOrder', RESERVATION_SORT_ORDERS),
      listingId: q.int('listingId'),
      channelId: q.int('channelId'),
      assigneeUserId: q.int('assigneeUserId'),
      match: q.string('match'),
      guestEmail: q.string('guestEmail'),
      arrivalStartDate: q.date('arrivalStartDate'),
      arrivalEndDate: q.date('arrivalEndDate'),
      departureStartDate: q.date('departureStartDate'),
      departureEndDate: q.date('departureEndDate'),
      hasUnreadConversationMessages: q.bool('hasUnreadConversationMessages'),
      isStarred: q.bool('isStarred'),
      isArchived: q.bool('isArchived'),
      isPinned: q.bool('isPinned'),
      latestActivityStart: q.date('latestActivityStart'),
      latestActivityEnd: q.date('latestActivityEnd'),
      customerUserId: q.string('customerUserId'),
      reservationAgreement: q.string('reservationAgreement'),
    };
    checkRange('arrivalStartDate', filter.arrivalStartDate, 'arrivalEndDate', filter.arrivalEndDate);
    checkRange('departureStartDate', filter.departureStartDate, 'departureEndDate', filter.departureEndDate);
    checkRange(
      'latestActivityStart',
      filter.latestActivityStart,
      'latestActivityEnd',
      filter.latestActivityEnd,
    );
    const options = {
      includeResources: q.bool('includeResources') ?? false,
      includeCancellationPolicy: q.bool('includeCancellationPolicy') ?? false,
      includePayments: q.bool('includePayments') ?? false,
    };
    const store = deps.store();
    const all = store.searchReservations(filter);
    const rest = afterId === undefined ? all.slice(offset) : store.pageAfter(all, afterId, filter.sortOrder);
    const items = rest.slice(0, limit).map((r) => listedReservation(store.wire(r), store.accountId, options));
    return json(c, listBody(items, all.length, limit, offset));
  });
  app.get('/v1/reservations/:id', (c) => {
    const store = deps.store();
    const r = store.reservation(pathId(c, 'id', 'reservationId'));
    const q = reader(c);
    const options = {
      includeResources: q.bool('includeResources') ?? false,
      includePayments: q.bool('includePayments') ?? false,
    };
    return json(c, itemBody(singleReservation(r, store.accountId, options)));
  });
  app.get('/v1/reservations/:id/conversations', (c) => {
    const store = deps.store();
    const id = pathId(c, 'id', 'reservationId');
    store.reservation(id);
    return json(c, pageBody(store.searchConversations(id), undefined, 0));
  });

  // --- Conversations (_conversation_*.md)
  app.get('/v1/conversations', (c) => {
    const q = reader(c);
    const { limit, offset } = readPaging(q);
    const withResources = q.bool('includeResources') ?? false;
    const store = deps.store();
    const all = store.searchConversations(q.int('reservationId'));
    const items = (limit === undefined ? all.slice(offset) : all.slice(offset, offset + limit)).map((conv) =>
      conversationView(store, conv, withResources),
    );
    return json(c, listBody(items, all.length, limit, offset));
  });
  app.get('/v1/conversations/:id', (c) => {
    const store = deps.store();
    const conv = store.conversation(pathId(c, 'id', 'conversationId'));
    return json(c, itemBody(conversationView(store, conv, reader(c).bool('includeResources') ?? false)));
  });
  app.get('/v1/conversations/:id/messages', (c) => {
    const q = reader(c);
    const { limit, offset } = readPaging(q);
    const messages = deps
      .store()
      .conversationMessages(pathId(c, 'id', 'conversationId'), q.bool('includeScheduledMessages') ?? false);
    return json(c, pageBody(messages, limit, offset));
  });
  app.get('/v1/conversations/:id/messages/:messageId', (c) =>
    json(
      c,
      itemBody(
        deps
          .store()
          .message(pathId(c, 'id', 'conversationId'), pathId(c, 'messageId', 'conversationMessageId')),
      ),
    ),
  );
  app.post('/v1/conversations/:id/messages', async (c) => {
    const id = pathId(c, 'id', 'conversationId');
    const raw = await readJson(c);
    const body = parseBody(SendMessageBody, raw);
    // The schema trims to reject a blank message; the message keeps the text exactly as sent.
    const text = (raw as { body: string }).body;
    return json(c, itemBody(deps.store().sendMessage(id, text, body.communicationType ?? 'email')));
  });

  // --- Message templates (_messageTemplate_*.md)
  app.get('/v1/messageTemplates', (c) => {
    const q = reader(c);
    const items = deps.store().searchTemplates({
      messageTemplateGroupId: q.int('messageTemplateGroupId'),
      channelId: q.int('channelId'),
      listingMapId: q.int('listingMapId'),
      reservationId: q.int('reservationId'),
    });
    return json(c, pageBody(items, undefined, 0));
  });
  app.get('/v1/messageTemplates/:id', (c) =>
    json(c, itemBody(deps.store().template(pathId(c, 'id', 'messageTemplateId')))),
  );
  // _reservation_retrieveMessageTemplates.md, _reservation_retrieveMessageTemplate.md: filled for the stay.
  app.get('/v1/reservations/:id/messageTemplates', (c) => {
    const reservationId = pathId(c, 'id', 'reservationId');
    return json(c, pageBody(deps.store().searchTemplates({ reservationId }), undefined, 0));
  });
  app.get('/v1/reservations/:id/messageTemplates/:templateId', (c) => {
    const store = deps.store();
    const template = store.templateFor(
      pathId(c, 'id', 'reservationId'),
      pathId(c, 'templateId', 'messageTemplateId'),
    );
    return json(c, itemBody(template));
  });

  // --- Reviews (_review_*.md)
  app.get('/v1/reviews', (c) => {
    const q = reader(c);
    const { limit, offset } = readPaging(q);
    const departureDateStart = q.date('departureDateStart');
    const departureDateEnd = q.date('departureDateEnd');
    checkRange('departureDateStart', departureDateStart, 'departureDateEnd', departureDateEnd);
    const statuses = q.list('statuses');
    for (const s of statuses ?? [])
      if (!(REVIEW_STATUSES as readonly string[]).includes(s))
        throw badRequest(`statuses must hold values from: ${REVIEW_STATUSES.join(', ')}; got "${s}"`);
    const items = deps.store().searchReviews({
      listingMapIds: q.intList('listingMapIds'),
      reservationId: q.int('reservationId'),
      type: q.oneOf('type', REVIEW_TYPES),
      statuses,
      departureDateStart,
      departureDateEnd,
      sortBy: q.oneOf('sortBy', ['id', 'guestName', 'arrivalDate', 'departureDate'] as const),
      sortOrder: q.oneOf('sortOrder', ['asc', 'desc'] as const, { ignoreCase: true }),
    });
    return json(c, pageBody(items, limit, offset));
  });
  app.get('/v1/reviews/:id', (c) => json(c, itemBody(deps.store().review(pathId(c, 'id', 'reviewId')))));

  // --- Tasks (_task_*.md)
  app.get('/v1/tasks', (c) => {
    const q = reader(c);
    const { limit, offset } = readPaging(q);
    const filter = {
      channelId: q.int('channelId'),
      reservationId: q.int('reservationId'),
      canStartFromEvent: q.oneOf('canStartFromEvent', TASK_EVENTS),
      shouldEndByEvent: q.oneOf('shouldEndByEvent', TASK_EVENTS),
      match: q.string('match'),
      status: q.oneOf('status', TASK_STATUSES),
      canStartFromStart: q.date('canStartFromStart'),
      canStartFromEnd: q.date('canStartFromEnd'),
      shouldEndByStart: q.date('shouldEndByStart'),
      shouldEndByEnd: q.date('shouldEndByEnd'),
    };
    checkRange('canStartFromStart', filter.canStartFromStart, 'canStartFromEnd', filter.canStartFromEnd);
    checkRange('shouldEndByStart', filter.shouldEndByStart, 'shouldEndByEnd', filter.shouldEndByEnd);
    return json(c, pageBody(deps.store().searchTasks(filter), limit, offset));
  });
  app.get('/v1/tasks/:id', (c) => json(c, itemBody(deps.store().task(pathId(c, 'id', 'taskId')))));
  app.post('/v1/tasks', async (c) => {
    const body = parseBody(TaskWriteBody, await readJson(c));
    return json(c, itemBody(deps.store().createTask(body as Partial<Task> & { title: string })));
  });
  app.put('/v1/tasks/:id', async (c) => {
    const id = pathId(c, 'id', 'taskId');
    const body = parseBody(TaskWriteBody.partial(), await readJson(c));
    return json(c, itemBody(deps.store().updateTask(id, body as Partial<Task>)));
  });
  app.delete('/v1/tasks/:id', (c) => json(c, itemBody(deps.store().deleteTask(pathId(c, 'id', 'taskId')))));

  // --- Finance reports (_financialReporting_report*.md)
  app.post('/v1/finance/report/:kind', async (c) => {
    const kind = c.req.param('kind') as FinanceReportKind;
    if (!FINANCE_REPORT_KINDS.includes(kind))
      throw new HttpError(404, `No such report "${kind}": use one of ${FINANCE_REPORT_KINDS.join(', ')}`);
    const params = await readFormOrJson(c);
    const req = readReportRequest(kind, new ParamReader(params));
    const store = deps.store();
    const report = buildReport(req, store.allReservations(), store.allListings());
    if (report.json) return json(c, `{"status":"success","result":${JSON.stringify(report.json)}}`);
    return c.body(report.csv ?? '', 200, { 'content-type': 'text/csv; charset=utf-8' });
  });

  // --- Reservation writes and unified webhooks (reservation-routes.ts, webhook-routes.ts)
  mountReservationWrites(app, deps);
  mountWebhookApi(app, deps);

  if (deps.admin) mountAdmin(app, deps, deps.admin);
  return app;
}

// ---------------------------------------------------------------------------------------------------

/** Without includeResources the attached objects come back empty, as for reservations. */
function conversationView(
  store: SandboxStore,
  conv: ReturnType<SandboxStore['conversation']>,
  withResources: boolean,
) {
  if (!withResources) return { ...conv, conversationMessages: [], Reservation: null };
  const latest = store.latestMessage(conv.id);
  return {
    ...conv,
    conversationMessages: latest ? [latest] : [],
    Reservation: conv.reservationId ? store.conversationReservation(conv.reservationId) : null,
  };
}

function mountAdmin(app: Hono<Env>, deps: AppDeps, hooks: AdminHooks): void {
  app.get('/_sandbox/info', (c) => c.json(hooks.info()));
  app.get('/_sandbox/requests', (c) => {
    const since = Number(c.req.query('since') ?? 0);
    return c.json({ lastSeq: deps.log.lastSeq, requests: deps.log.list(Number.isFinite(since) ? since : 0) });
  });
  app.delete('/_sandbox/requests', (c) => {
    deps.log.clear();
    return c.json({ ok: true });
  });
  app.get('/_sandbox/faults', (c) => c.json({ faults: deps.faults.list() }));
  app.post('/_sandbox/faults', async (c) => {
    try {
      return c.json({ fault: deps.faults.add(await c.req.json()) }, 201);
    } catch (err) {
      return c.json({ error: err instanceof Error ? err.message : String(err) }, 400);
    }
  });
  app.delete('/_sandbox/faults', (c) => {
    deps.faults.clear();
    return c.json({ ok: true });
  });
  app.delete('/_sandbox/faults/:id', (c) =>
    deps.faults.remove(c.req.param('id')) ? c.json({ ok: true }) : c.json({ error: 'no such fault' }, 404),
  );
  app.post('/_sandbox/tokens/revoke', (c) => c.json({ revoked: deps.auth.revokeAll() }));
  app.post('/_sandbox/tokens/expire', (c) => c.json({ expired: deps.auth.expireAll() }));
  app.post('/_sandbox/clock', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { advanceMs?: unknown };
    if (typeof body.advanceMs !== 'number' || body.advanceMs < 0)
      return c.json({ error: 'send {"advanceMs": <ms>}' }, 400);
    hooks.advanceClock(body.advanceMs);
    return c.json(hooks.info());
  });
  app.post('/_sandbox/reset', (c) => {
    hooks.reset();
    return c.json(hooks.info());
  });
  mountWebhookAdmin(app, deps, hooks.seed);
}
