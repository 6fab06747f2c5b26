import type { Child } from 'hono/jsx'
import { swapOnSubmit } from './htmx-swap.js'

/** A labelled date field of a {@link FiltersForm} (`value` "" for none). */
export function DateField(props: { label: string; name: string; value: string }) {
  return (
    <label>
      {props.label}
      <input type="date" name={props.name} value={props.value} />
    </label>
  )
}

/**
 * The filters above a page's tables: a GET form of `children` (labelled fields) and one submit
 * button. With `swap`, htmx swaps only the element of that id and pushes the URL; without
 * JavaScript (or `swap`) the form loads the page.
 */
export function FiltersForm(props: { action: string; submit: string; swap?: string; children?: Child }) {
  const htmx =
    props.swap === undefined
      ? {}
      : { ...swapOnSubmit('get', props.action, props.swap), 'hx-push-url': 'true' }
  return (
    <form class="filters" method="get" action={props.action} {...htmx}>
      {props.children}
      <button type="submit">{props.submit}</button>
    </form>
  )
}
