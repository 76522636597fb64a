/**
 * Reservation writes (_reservation_createReservation.md, _reservation_updateReservation.md,
 * _reservation_cancelReservation.md): each answers the reservation as `GET /v1/reservations/{id}` does,
 * and each is a change the unified webhooks report (created; updated, a cancellation included).
 */
import type { Hono } from 'hono';
import { CancelReservationBody, ReservationCreateBody, ReservationUpdateBody } from '../hostaway/schemas.js';
import type { AppDeps } from './app.js';
import { itemBody } from './envelope.js';
import { type Env, json, parseBody, pathId, reader, readJson } from './http.js';

export function mountReservationWrites(app: Hono<Env>, deps: AppDeps): void {
  app.post('/v1/reservations', async (c) => {
    const q = reader(c);
    const options = { forceOverbooking: q.bool('forceOverbooking') ?? false, provider: q.string('provider') };
    const body = parseBody(ReservationCreateBody, await readJson(c));
    return json(c, itemBody(deps.store().createReservation(body, options)));
  });
  app.put('/v1/reservations/:id', async (c) => {
    const id = pathId(c, 'id', 'reservationId');
    const forceOverbooking = reader(c).bool('forceOverbooking') ?? false;
    const body = parseBody(ReservationUpdateBody, await readJson(c));
    return json(c, itemBody(deps.store().updateReservation(id, body, { forceOverbooking })));
  });
  app.put('/v1/reservations/:id/statuses/cancelled', async (c) => {
    const id = pathId(c, 'id', 'reservationId');
    const body = parseBody(CancelReservationBody, await readJson(c));
    return json(c, itemBody(deps.store().cancelReservation(id, body.cancelledBy)));
  });
}
