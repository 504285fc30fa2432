/**
 * Every GraphQL document this action sends to Railway, as plain strings (no graphql-js at run time).
 * A test validates each one against Railway's published schema, so a renamed field fails in CI,
 * not in someone's deploy.
 */

const DEPLOYMENT_FIELDS = 'id status createdAt canRollback meta staticUrl url serviceId environmentId';

/** Newest deployments of one service in one environment (Railway returns newest first). */
export const LIST_DEPLOYMENTS = `query RailwayDeployList($first: Int!, $projectId: String!, $environmentId: String!, $serviceId: String!) {
  deployments(first: $first, input: { projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId }) {
    edges { node { ${DEPLOYMENT_FIELDS} } }
  }
}`;

export const GET_DEPLOYMENT = `query RailwayDeployGet($id: String!) {
  deployment(id: $id) { ${DEPLOYMENT_FIELDS} }
}`;

/** Applies image and runtime settings; does not deploy by itself. */
export const UPDATE_SERVICE_INSTANCE = `mutation RailwayDeployUpdate($serviceId: String!, $environmentId: String!, $input: ServiceInstanceUpdateInput!) {
  serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
}`;

/**
 * Starts a deployment and returns its id: of `commitSha`, or without it of the commit the service
 * already has (manage-services.md) — for image sources, of the image serviceInstanceUpdate set.
 */
export const DEPLOY_SERVICE_INSTANCE = `mutation RailwayDeployStart($serviceId: String!, $environmentId: String!, $commitSha: String) {
  serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId, commitSha: $commitSha)
}`;

/**
 * Deploys the newest commit of the connected branch, as the official CLI does
 * (railwayapp/cli src/gql/mutations/strings/ServiceInstanceDeployLatestCommit.graphql). Returns only
 * a Boolean: the deployment it creates is found by listing the service's deployments.
 */
export const DEPLOY_LATEST_COMMIT = `mutation RailwayDeployLatestCommit($serviceId: String!, $environmentId: String!) {
  serviceInstanceDeploy(serviceId: $serviceId, environmentId: $environmentId, latestCommit: true)
}`;

/** Returns a Boolean; Railway creates a NEW deployment from the target's image, settings and variables. */
export const ROLLBACK_DEPLOYMENT = `mutation RailwayDeployRollback($id: String!) {
  deploymentRollback(id: $id)
}`;

export const BUILD_LOGS = `query RailwayDeployBuildLogs($deploymentId: String!, $limit: Int!) {
  buildLogs(deploymentId: $deploymentId, limit: $limit) { timestamp message severity }
}`;

export const DEPLOYMENT_LOGS = `query RailwayDeployRuntimeLogs($deploymentId: String!, $limit: Int!) {
  deploymentLogs(deploymentId: $deploymentId, limit: $limit) { timestamp message severity }
}`;

export const SERVICE_DOMAINS = `query RailwayDeployDomains($projectId: String!, $environmentId: String!, $serviceId: String!) {
  domains(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) {
    serviceDomains { domain }
    customDomains { domain }
  }
}`;

/** Every document above, by name, for the schema test and the stand-in. */
export const DOCUMENTS = {
  LIST_DEPLOYMENTS,
  GET_DEPLOYMENT,
  UPDATE_SERVICE_INSTANCE,
  DEPLOY_SERVICE_INSTANCE,
  DEPLOY_LATEST_COMMIT,
  ROLLBACK_DEPLOYMENT,
  BUILD_LOGS,
  DEPLOYMENT_LOGS,
  SERVICE_DOMAINS,
} as const;
