# Connection settings of the local test infrastructure, as the integration tests read them.
# Source it (`. scripts/test-infra/env.sh`) after start-rabbitmq.sh / start-azurite.sh; test.sh does.
# Values already set in the environment win, so a developer can point the tests elsewhere.
# shellcheck shell=bash

export PIPELINE_TEST_RABBITMQ_HOST=${PIPELINE_TEST_RABBITMQ_HOST:-127.0.0.1}
export PIPELINE_TEST_RABBITMQ_PORT=${PIPELINE_TEST_RABBITMQ_PORT:-5672}
export PIPELINE_TEST_RABBITMQ_MANAGEMENT_URL=${PIPELINE_TEST_RABBITMQ_MANAGEMENT_URL:-http://127.0.0.1:15672}
export PIPELINE_TEST_RABBITMQ_USERNAME=${PIPELINE_TEST_RABBITMQ_USERNAME:-guest}
export PIPELINE_TEST_RABBITMQ_PASSWORD=${PIPELINE_TEST_RABBITMQ_PASSWORD:-guest}
# Azurite's published development account (devstoreaccount1), blob endpoint only.
export PIPELINE_TEST_AZURITE_CONNECTION_STRING=${PIPELINE_TEST_AZURITE_CONNECTION_STRING:-DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;}
# docker-compose v2 binary for the compose-file test (install-packages.sh installs it).
export PIPELINE_TEST_DOCKER_COMPOSE=${PIPELINE_TEST_DOCKER_COMPOSE:-$(command -v docker-compose || true)}
