// Uniqueness of the federation graph, enforced by Neo4j itself. Applied idempotently at start-up.
// Scoped keys ("name unique within its provider") are stored as naturalKey = '<parent uid>/<key>'.

CREATE CONSTRAINT provider_uid IF NOT EXISTS FOR (n:Provider) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT region_uid IF NOT EXISTS FOR (n:Region) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT location_uid IF NOT EXISTS FOR (n:Location) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT identity_provider_uid IF NOT EXISTS FOR (n:IdentityProvider) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT user_group_uid IF NOT EXISTS FOR (n:UserGroup) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT sla_uid IF NOT EXISTS FOR (n:SLA) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT project_uid IF NOT EXISTS FOR (n:Project) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT service_uid IF NOT EXISTS FOR (n:Service) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT compute_service_uid IF NOT EXISTS FOR (n:ComputeService) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT block_storage_service_uid IF NOT EXISTS FOR (n:BlockStorageService) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT network_service_uid IF NOT EXISTS FOR (n:NetworkService) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT object_store_service_uid IF NOT EXISTS FOR (n:ObjectStoreService) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT identity_service_uid IF NOT EXISTS FOR (n:IdentityService) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT flavor_uid IF NOT EXISTS FOR (n:Flavor) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT image_uid IF NOT EXISTS FOR (n:Image) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT network_uid IF NOT EXISTS FOR (n:Network) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT volume_type_uid IF NOT EXISTS FOR (n:VolumeType) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT quota_uid IF NOT EXISTS FOR (n:Quota) REQUIRE n.uid IS UNIQUE;

CREATE CONSTRAINT provider_name_type IF NOT EXISTS FOR (n:Provider) REQUIRE (n.name, n.type) IS UNIQUE;
CREATE CONSTRAINT location_site IF NOT EXISTS FOR (n:Location) REQUIRE n.site IS UNIQUE;
CREATE CONSTRAINT identity_provider_endpoint IF NOT EXISTS FOR (n:IdentityProvider) REQUIRE n.endpoint IS UNIQUE;
CREATE CONSTRAINT sla_doc_uuid IF NOT EXISTS FOR (n:SLA) REQUIRE n.docUuid IS UNIQUE;
CREATE CONSTRAINT region_key IF NOT EXISTS FOR (n:Region) REQUIRE n.naturalKey IS UNIQUE;
CREATE CONSTRAINT user_group_key IF NOT EXISTS FOR (n:UserGroup) REQUIRE n.naturalKey IS UNIQUE;
CREATE CONSTRAINT project_key IF NOT EXISTS FOR (n:Project) REQUIRE n.naturalKey IS UNIQUE;
CREATE CONSTRAINT service_key IF NOT EXISTS FOR (n:Service) REQUIRE n.naturalKey IS UNIQUE;
CREATE CONSTRAINT flavor_key IF NOT EXISTS FOR (n:Flavor) REQUIRE n.naturalKey IS UNIQUE;
CREATE CONSTRAINT image_key IF NOT EXISTS FOR (n:Image) REQUIRE n.naturalKey IS UNIQUE;
CREATE CONSTRAINT network_key IF NOT EXISTS FOR (n:Network) REQUIRE n.naturalKey IS UNIQUE;
CREATE CONSTRAINT volume_type_key IF NOT EXISTS FOR (n:VolumeType) REQUIRE n.naturalKey IS UNIQUE;
CREATE CONSTRAINT quota_key IF NOT EXISTS FOR (n:Quota) REQUIRE n.naturalKey IS UNIQUE;

// What reads filter on.
CREATE INDEX user_group_name IF NOT EXISTS FOR (n:UserGroup) ON (n.name);
CREATE INDEX provider_status IF NOT EXISTS FOR (n:Provider) ON (n.status);
CREATE INDEX service_endpoint IF NOT EXISTS FOR (n:Service) ON (n.endpoint);
CREATE INDEX region_name IF NOT EXISTS FOR (n:Region) ON (n.name);
CREATE INDEX flavor_gpus IF NOT EXISTS FOR (n:Flavor) ON (n.gpus);
CREATE INDEX flavor_name IF NOT EXISTS FOR (n:Flavor) ON (n.name);
CREATE INDEX image_name IF NOT EXISTS FOR (n:Image) ON (n.name);
CREATE INDEX sla_document_key IF NOT EXISTS FOR (n:SLA) ON (n.documentKey);
