import { CreateScheduleRequest, SearchSchedulesRequest, UpdateScheduleRequest } from "../schemas/schedules.js";
import { createSchedule, deleteSchedule, searchSchedules, updateSchedule } from "../services/schedules.js";
import { endpoint } from "./endpoint.js";

/**
 * Liveboard schedules. Any signed-in user may call them; who may do what with which schedule
 * (edit access to the Liveboard, scheduling for others) is the service's to decide.
 */
export const scheduleEndpoints = [
  endpoint({
    method: "POST",
    path: "/schedules/create",
    operationId: "createSchedule",
    access: "authenticated",
    body: CreateScheduleRequest,
    status: 200,
    handler: (ctx, body) => createSchedule(ctx, body),
  }),
  endpoint({
    method: "POST",
    path: "/schedules/search",
    operationId: "searchSchedules",
    access: "authenticated",
    body: SearchSchedulesRequest,
    status: 200,
    handler: (ctx, body) => searchSchedules(ctx, body),
  }),
  endpoint({
    method: "POST",
    path: "/schedules/:schedule_identifier/update",
    operationId: "updateSchedule",
    access: "authenticated",
    body: UpdateScheduleRequest,
    status: 204,
    handler: (ctx, body, c) => updateSchedule(ctx, c.req.param("schedule_identifier")!, body),
  }),
  endpoint({
    method: "POST",
    path: "/schedules/:schedule_identifier/delete",
    operationId: "deleteSchedule",
    access: "authenticated",
    status: 204,
    handler: (ctx, _body, c) => deleteSchedule(ctx, c.req.param("schedule_identifier")!),
  }),
];
