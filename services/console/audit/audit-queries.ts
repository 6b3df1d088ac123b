import { graphql } from '../gen';

/** A page of the audit log, newest first (needs the `audit:read` scope). */
export const AuditEventsQuery = graphql(`
  query AuditEvents($filter: AuditFilter, $first: Int!, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          occurredAt
          action
          outcome
          actorType
          actorId
          secretName
          scope
          version
          workflowId
          runId
          trigger
          runner
          requestId
          occurrences
        }
      }
    }
  }
`);

export const VerifyAuditLogQuery = graphql(`
  query VerifyAuditLog {
    verifyAuditLog {
      ok
      checked
      firstBrokenId
    }
  }
`);
