// GraphiQL for the gateway, bundled at build time (scripts/bundle.ts): nothing is loaded from the
// internet. Queries and mutations go to /graphql over HTTP, subscriptions over graphql-ws on the
// same path. The header editor's headers (e.g. `Authorization: Bearer <token>`) go with every HTTP
// request and, as connection parameters, with the WebSocket (the gateway reads the token there).
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import './explorer.css';

const url = new URL('/graphql', window.location.href).href;
const fetcher = createGraphiQLFetcher({ url, subscriptionUrl: url.replace(/^http/, 'ws') });

const defaultQuery = `# The gateway's explorer (GraphiQL). Tokens: open "Headers" below and add
#   { "Authorization": "Bearer <token from npm run token>" }
# (development mode without a token: you are the development admin).

query Products {
  products(limit: 5) {
    id
    name
    stockQuantity
  }
}

subscription OrderStatus {
  orderStatusChanged {
    eventId
    orderId
    from
    to
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  createElement(GraphiQL, { fetcher, defaultQuery, isHeadersEditorEnabled: true, shouldPersistHeaders: false }),
);
