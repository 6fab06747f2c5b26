import type { Child } from 'hono/jsx'

/** `medical_necessity` as `medical_<wbr>necessity`: a long key may wrap, so that its table fits. */
export function breakAfterUnderscores(text: string): Child[] {
  return text.split('_').flatMap((part, i) =>
    i === 0
      ? [part]
      : [
          <>
            _<wbr />
          </>,
          part,
        ],
  )
}
