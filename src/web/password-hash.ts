import { randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

/** @node-rs/argon2's `Algorithm.Argon2id`. */
const ARGON2ID = 2

/**
 * Hashes a password with argon2id at @node-rs/argon2's defaults (m = 19 MiB, t = 2, p = 1: the
 * OWASP Password Storage Cheat Sheet's first argon2id configuration); the PHC string keeps its
 * parameters, so raising them later still verifies old hashes.
 */
export function hashPassword(password: string): Promise<string> {
  // Algorithm.Argon2id is an ambient const enum (2), which verbatimModuleSyntax cannot import.
  return hash(password, { algorithm: ARGON2ID })
}

/** Whether `password` matches a PHC hash; a malformed hash is a mismatch, not an error. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password)
  } catch {
    return false
  }
}

/** A random password: 20 characters of base64url, 120 bits. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url')
}

/**
 * A hash verified when the user does not exist, so an unknown name costs the time a wrong password
 * does and the two cannot be told apart by timing.
 */
let dummy: Promise<string> | undefined
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(generatePassword())
  return dummy
}
