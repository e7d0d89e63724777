/** Fanout over Socket.IO rooms: one `io.to(rooms).emit` per event, serialised once. */
import type { Fanout, ServerEvent, ServerEventArgs } from '../chat/fanout';
import { userRoom } from '../chat/fanout';
import type { ChatIo } from './types';

export function ioFanout(io: ChatIo): Fanout {
  return {
    toUsers<E extends ServerEvent>(userIds: readonly string[], event: E, ...args: ServerEventArgs<E>): void {
      if (userIds.length === 0) return;
      io.to(userIds.map(userRoom)).emit(event, ...args);
    },
    toUsersExcept<E extends ServerEvent>(userIds: readonly string[], exceptUserId: string, event: E, ...args: ServerEventArgs<E>): void {
      const rooms = userIds.filter((id) => id !== exceptUserId).map(userRoom);
      if (rooms.length === 0) return;
      io.to(rooms).except(userRoom(exceptUserId)).emit(event, ...args);
    },
  };
}
