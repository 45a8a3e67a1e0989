// Running one mutation from a form: while it runs the form cannot send it
// again, and a refusal comes back as problems to show beside the form.
import type { TypedDocumentNode } from '@urql/core';
import { useRef, useState } from 'react';
import { useMutation } from 'urql';
import { problemsOf, type Problems } from '../domain/errors';

export function useChange<Data, Variables extends Record<string, unknown>>(
  document: TypedDocumentNode<Data, Variables>,
  onDone: () => void = () => {},
) {
  const [state, execute] = useMutation<Data, Variables>(document);
  const [problems, setProblems] = useState<Problems | null>(null);
  // A ref, not `state.fetching`: a double click submits twice before React renders again.
  const running = useRef(false);
  /** Resolves with the mutation's data once it is done, or null when it was refused. */
  const run = async (variables: Variables): Promise<Data | null> => {
    if (running.current) return null;
    running.current = true;
    try {
      setProblems(null);
      const result = await execute(variables);
      if (result.error || !result.data) {
        setProblems(problemsOf(result.error));
        return null;
      }
      onDone();
      return result.data;
    } finally {
      running.current = false;
    }
  };
  return { run, fetching: state.fetching, problems };
}
