import { useEffect, useState } from 'react';
import type { GraphQLClient } from '../graphql/graphql-client';
import { ReferencePickerQuery } from './references-queries';

export interface PickerOption {
  id: string;
  name: string;
  displayName: string;
  scope: 'WORKSPACE' | 'PERSONAL';
}

/** How many of each scope the picker lists; typing narrows the list. */
const PER_SCOPE = 20;

/** The picker's options for what was typed after `{{`: workspace secrets, then personal ones. */
export function usePickerOptions(client: GraphQLClient, query: string | undefined) {
  const [answer, setAnswer] = useState<{ query: string; options: PickerOption[] }>();
  useEffect(() => {
    if (query === undefined) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      client
        .request(ReferencePickerQuery, { nameContains: query || null, first: PER_SCOPE }, controller.signal)
        .then(({ workspace, personal }) =>
          setAnswer({
            query,
            options: [
              ...workspace.edges.map(({ node }) => ({ ...node, scope: 'WORKSPACE' as const })),
              ...personal.edges.map(({ node }) => ({ ...node, scope: 'PERSONAL' as const })),
            ],
          }),
        )
        .catch(() => {
          // The picker is a convenience: on failure it simply offers nothing.
          if (!controller.signal.aborted) setAnswer({ query, options: [] });
        });
    }, 120);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [client, query]);
  return answer !== undefined && answer.query === query ? answer.options : undefined;
}
