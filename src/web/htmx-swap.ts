/**
 * The htmx attributes of a form that, on submit, sends `method` to `url` and swaps the element
 * `#id` of the page for the same element of the answer (which is a whole page: without JavaScript
 * the form posts or gets it as usual).
 */
export function swapOnSubmit(method: 'get' | 'post', url: string, id: string): Record<string, string> {
  return { [`hx-${method}`]: url, 'hx-target': `#${id}`, 'hx-select': `#${id}`, 'hx-swap': 'outerHTML' }
}
