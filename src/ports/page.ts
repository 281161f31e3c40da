/** A page of a longer list, numbered from 1. */
export interface PageRequest {
  readonly page: number;
  readonly pageSize: number;
}

/** One page of results and the total number of results. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly count: number;
}
