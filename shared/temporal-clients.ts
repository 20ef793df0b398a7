import { Client, type Connection } from '@temporalio/client';

/**
 * One Temporal client per tenant namespace over one connection, made on first use: a tenant's
 * workflows live in its own namespace, and a client is bound to one.
 */
export function namespaceClients(connection: Connection): (namespace: string) => Client {
  const clients = new Map<string, Client>();
  return (namespace) => {
    let client = clients.get(namespace);
    if (!client) {
      client = new Client({ connection, namespace });
      clients.set(namespace, client);
    }
    return client;
  };
}
