import type { ColumnType } from 'kysely'

/** An int8 as read: pg returns a string, PGlite a number; convert with `Number()`. */
type Int8 = ColumnType<string | number, number, number>

/** The outbound control-number counter of one sender/receiver pair (ISA06/ISA08). */
export interface ControlNumberTable {
  sender_id: string
  receiver_id: string
  /** The last number handed out (ISA13, GS06 and ST02 share the counter). */
  last_value: Int8
  updated_at: ColumnType<Date, never, Date>
}

export interface ControlNumberTables {
  control_number: ControlNumberTable
}
