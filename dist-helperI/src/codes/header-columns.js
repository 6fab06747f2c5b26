/** A header cell normalized for matching: upper case, `_` and runs of blanks as one space. */
export function normalizeHeader(cell) {
    return cell
        .toUpperCase()
        .replace(/[_\s]+/g, ' ')
        .trim();
}
/**
 * Column indexes of named header cells. `columns.get('ADD DT')` is the index of the "ADD DT" (or
 * "ADD_DT") column; a name may be given as a regular expression for year-named columns.
 */
export class HeaderColumns {
    #index = new Map();
    cells;
    constructor(cells) {
        this.cells = cells.map(normalizeHeader);
        this.cells.forEach((cell, index) => {
            if (cell !== '' && !this.#index.has(cell))
                this.#index.set(cell, index);
        });
    }
    /** Index of the first column named `name` (normalized), or matching `name` when a RegExp. */
    find(name) {
        if (typeof name === 'string')
            return this.#index.get(normalizeHeader(name));
        const index = this.cells.findIndex((cell) => name.test(cell));
        return index < 0 ? undefined : index;
    }
    /** True when every name is a column. */
    has(...names) {
        return names.every((name) => this.find(name) !== undefined);
    }
}
/** The cell at `index` of a row, `''` when the row is shorter or the column is absent. */
export function cellAt(cells, index) {
    return index === undefined ? '' : (cells[index] ?? '').trim();
}
//# sourceMappingURL=header-columns.js.map