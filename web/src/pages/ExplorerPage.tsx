// GraphiQL for integrators, bundled with the app (works offline) and signed
// in the same way: it sends the signed-in person's token. The gateway opens
// it for a browser at /graphql outside production only.
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { useSession } from '../auth/session';

export function ExplorerPage() {
  const { user } = useSession();
  // A plain POST is all the explorer needs: no subscriptions, no multipart.
  const fetcher = async (params: unknown) => {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user!.accessToken()}` },
      body: JSON.stringify(params),
    });
    return (await response.json()) as object;
  };
  return (
    <div style={{ height: '100vh' }}>
      <GraphiQL fetcher={fetcher} />
    </div>
  );
}
