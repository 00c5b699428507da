--
-- PostgreSQL database dump
--

\restrict ZvjmF05Wec9CnsxkflTLipZ5siG17q9aydEkOJjGrW7cHBT189CNYIQVWUQD2pd

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: webhooks_fixture_v1; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA webhooks_fixture_v1;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: attempts; Type: TABLE; Schema: webhooks_fixture_v1; Owner: -
--

CREATE TABLE webhooks_fixture_v1.attempts (
    id text NOT NULL COLLATE pg_catalog."C",
    delivery_id text NOT NULL COLLATE pg_catalog."C",
    message_id text NOT NULL COLLATE pg_catalog."C",
    subscription_id text NOT NULL COLLATE pg_catalog."C",
    tenant_id text COLLATE pg_catalog."C",
    attempt_number integer NOT NULL,
    url text NOT NULL,
    started_at timestamp with time zone NOT NULL,
    duration interval NOT NULL,
    succeeded boolean NOT NULL,
    error smallint NOT NULL,
    error_message text,
    status_code integer,
    response_headers jsonb NOT NULL,
    response_excerpt text,
    remote_address text
);


--
-- Name: deliveries; Type: TABLE; Schema: webhooks_fixture_v1; Owner: -
--

CREATE TABLE webhooks_fixture_v1.deliveries (
    id text NOT NULL COLLATE pg_catalog."C",
    message_id text NOT NULL COLLATE pg_catalog."C",
    subscription_id text NOT NULL COLLATE pg_catalog."C",
    tenant_id text COLLATE pg_catalog."C",
    event_type text NOT NULL,
    status smallint NOT NULL,
    attempt_count integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    last_attempt_at timestamp with time zone,
    last_status_code integer,
    failure_reason text,
    lease_id text,
    lease_owner text,
    lease_expires_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    completed_at timestamp with time zone
);


--
-- Name: messages; Type: TABLE; Schema: webhooks_fixture_v1; Owner: -
--

CREATE TABLE webhooks_fixture_v1.messages (
    id text NOT NULL COLLATE pg_catalog."C",
    tenant_id text COLLATE pg_catalog."C",
    event_type text NOT NULL,
    payload bytea NOT NULL,
    idempotency_key text,
    trace_parent text,
    trace_state text,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: schema_version; Type: TABLE; Schema: webhooks_fixture_v1; Owner: -
--

CREATE TABLE webhooks_fixture_v1.schema_version (
    version integer NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: subscriptions; Type: TABLE; Schema: webhooks_fixture_v1; Owner: -
--

CREATE TABLE webhooks_fixture_v1.subscriptions (
    id text NOT NULL COLLATE pg_catalog."C",
    tenant_id text COLLATE pg_catalog."C",
    url text NOT NULL,
    event_types text[] NOT NULL,
    secrets jsonb NOT NULL,
    enabled boolean NOT NULL,
    disabled_reason text,
    description text,
    metadata jsonb NOT NULL,
    headers jsonb NOT NULL,
    rate_limit_per_second integer,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Data for Name: attempts; Type: TABLE DATA; Schema: webhooks_fixture_v1; Owner: -
--

INSERT INTO webhooks_fixture_v1.attempts (id, delivery_id, message_id, subscription_id, tenant_id, attempt_number, url, started_at, duration, succeeded, error, error_message, status_code, response_headers, response_excerpt, remote_address) VALUES ('atm_00000000000000000000000003', 'dlv_00000000000000000000000002', 'msg_00000000000000000000000001', 'sub_a', NULL, 1, 'https://example.com/hooks', '2026-01-01 00:00:00+00', '00:00:00', false, 1, NULL, 500, '{}', NULL, NULL);
INSERT INTO webhooks_fixture_v1.attempts (id, delivery_id, message_id, subscription_id, tenant_id, attempt_number, url, started_at, duration, succeeded, error, error_message, status_code, response_headers, response_excerpt, remote_address) VALUES ('atm_00000000000000000000000006', 'dlv_00000000000000000000000005', 'msg_00000000000000000000000004', 'sub_a', NULL, 1, 'https://example.com/hooks', '2026-01-01 00:00:00+00', '00:00:00', true, 0, NULL, 200, '{}', NULL, NULL);
INSERT INTO webhooks_fixture_v1.attempts (id, delivery_id, message_id, subscription_id, tenant_id, attempt_number, url, started_at, duration, succeeded, error, error_message, status_code, response_headers, response_excerpt, remote_address) VALUES ('atm_00000000000000000000000009', 'dlv_00000000000000000000000008', 'msg_00000000000000000000000007', 'sub_b', NULL, 1, 'https://example.com/hooks', '2026-01-01 00:00:00+00', '00:00:00', false, 1, NULL, 500, '{}', NULL, NULL);
INSERT INTO webhooks_fixture_v1.attempts (id, delivery_id, message_id, subscription_id, tenant_id, attempt_number, url, started_at, duration, succeeded, error, error_message, status_code, response_headers, response_excerpt, remote_address) VALUES ('atm_00000000000000000000000010', 'dlv_00000000000000000000000008', 'msg_00000000000000000000000007', 'sub_b', NULL, 2, 'https://example.com/hooks', '2026-01-01 00:00:00+00', '00:00:00', false, 1, NULL, 500, '{}', NULL, NULL);


--
-- Data for Name: deliveries; Type: TABLE DATA; Schema: webhooks_fixture_v1; Owner: -
--

INSERT INTO webhooks_fixture_v1.deliveries (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, failure_reason, lease_id, lease_owner, lease_expires_at, created_at, completed_at) VALUES ('dlv_00000000000000000000000005', 'msg_00000000000000000000000004', 'sub_a', NULL, 'order.created', 2, 1, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00', 200, NULL, '5a9b2e9ef86646aa8bc62c0daad7863d', 'fixture', NULL, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');
INSERT INTO webhooks_fixture_v1.deliveries (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, failure_reason, lease_id, lease_owner, lease_expires_at, created_at, completed_at) VALUES ('dlv_00000000000000000000000008', 'msg_00000000000000000000000007', 'sub_b', NULL, 'order.created', 3, 2, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00', 500, 'gone', '45b99e35ab66417b9af7009b633765a3', 'fixture', NULL, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');
INSERT INTO webhooks_fixture_v1.deliveries (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, failure_reason, lease_id, lease_owner, lease_expires_at, created_at, completed_at) VALUES ('dlv_00000000000000000000000002', 'msg_00000000000000000000000001', 'sub_a', NULL, 'order.created', 1, 1, '2026-01-01 00:01:00+00', '2026-01-01 00:00:00+00', 500, NULL, 'd340727dfe8046678fa0d70a54923d79', 'fixture', '2026-01-01 00:03:00+00', '2026-01-01 00:00:00+00', NULL);
INSERT INTO webhooks_fixture_v1.deliveries (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, failure_reason, lease_id, lease_owner, lease_expires_at, created_at, completed_at) VALUES ('dlv_00000000000000000000000012', 'msg_00000000000000000000000011', 'sub_b', NULL, 'order.created', 1, 0, '2026-01-01 00:02:00+00', NULL, NULL, NULL, 'ade2838005084bffbe8580ada460785e', 'fixture', '2026-01-01 00:04:00+00', '2026-01-01 00:02:00+00', NULL);
INSERT INTO webhooks_fixture_v1.deliveries (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, failure_reason, lease_id, lease_owner, lease_expires_at, created_at, completed_at) VALUES ('dlv_00000000000000000000000014', 'msg_00000000000000000000000013', 'sub_a', 'acme', 'order.created', 0, 0, '2026-01-01 00:02:00+00', NULL, NULL, NULL, NULL, NULL, NULL, '2026-01-01 00:02:00+00', NULL);
INSERT INTO webhooks_fixture_v1.deliveries (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, failure_reason, lease_id, lease_owner, lease_expires_at, created_at, completed_at) VALUES ('dlv_00000000000000000000000016', 'msg_00000000000000000000000015', 'sub_a', NULL, 'order.created', 0, 0, '2026-01-01 00:02:00+00', NULL, NULL, NULL, NULL, NULL, NULL, '2026-01-01 00:02:00+00', NULL);
INSERT INTO webhooks_fixture_v1.deliveries (id, message_id, subscription_id, tenant_id, event_type, status, attempt_count, next_attempt_at, last_attempt_at, last_status_code, failure_reason, lease_id, lease_owner, lease_expires_at, created_at, completed_at) VALUES ('dlv_00000000000000000000000017', 'msg_00000000000000000000000015', 'sub_b', NULL, 'order.created', 0, 0, '2026-01-01 00:02:00+00', NULL, NULL, NULL, NULL, NULL, NULL, '2026-01-01 00:02:00+00', NULL);


--
-- Data for Name: messages; Type: TABLE DATA; Schema: webhooks_fixture_v1; Owner: -
--

INSERT INTO webhooks_fixture_v1.messages (id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at) VALUES ('msg_00000000000000000000000001', NULL, 'order.created', '\x7b2274797065223a226f726465722e63726561746564222c2264617461223a7b7d7d', NULL, NULL, NULL, '2026-01-01 00:00:00+00');
INSERT INTO webhooks_fixture_v1.messages (id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at) VALUES ('msg_00000000000000000000000004', NULL, 'order.created', '\x7b2274797065223a226f726465722e63726561746564222c2264617461223a7b7d7d', NULL, NULL, NULL, '2026-01-01 00:00:00+00');
INSERT INTO webhooks_fixture_v1.messages (id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at) VALUES ('msg_00000000000000000000000007', NULL, 'order.created', '\x7b2274797065223a226f726465722e63726561746564222c2264617461223a7b7d7d', NULL, NULL, NULL, '2026-01-01 00:00:00+00');
INSERT INTO webhooks_fixture_v1.messages (id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at) VALUES ('msg_00000000000000000000000011', NULL, 'order.created', '\x7b2274797065223a226f726465722e63726561746564222c2264617461223a7b7d7d', NULL, NULL, NULL, '2026-01-01 00:02:00+00');
INSERT INTO webhooks_fixture_v1.messages (id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at) VALUES ('msg_00000000000000000000000013', 'acme', 'order.created', '\x7b2274797065223a226f726465722e63726561746564222c2264617461223a7b7d7d', 'order-1', NULL, NULL, '2026-01-01 00:02:00+00');
INSERT INTO webhooks_fixture_v1.messages (id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at) VALUES ('msg_00000000000000000000000015', NULL, 'order.created', '\x7b2274797065223a226f726465722e63726561746564222c2264617461223a7b7d7d', NULL, NULL, NULL, '2026-01-01 00:02:00+00');
INSERT INTO webhooks_fixture_v1.messages (id, tenant_id, event_type, payload, idempotency_key, trace_parent, trace_state, created_at) VALUES ('msg_00000000000000000000000018', NULL, 'order.created', '\x7b2274797065223a226f726465722e63726561746564222c2264617461223a7b7d7d', NULL, NULL, NULL, '2026-01-01 00:02:00+00');


--
-- Data for Name: schema_version; Type: TABLE DATA; Schema: webhooks_fixture_v1; Owner: -
--

INSERT INTO webhooks_fixture_v1.schema_version (version, applied_at) VALUES (1, '2026-12-02 14:10:54.345516+00');


--
-- Data for Name: subscriptions; Type: TABLE DATA; Schema: webhooks_fixture_v1; Owner: -
--

INSERT INTO webhooks_fixture_v1.subscriptions (id, tenant_id, url, event_types, secrets, enabled, disabled_reason, description, metadata, headers, rate_limit_per_second, created_at, updated_at) VALUES ('sub_a', 'acme', 'http://127.0.0.1:9/hooks', '{order.created}', '[{"secret": "whsec_e0e4Hle1H/qWB6aIT1opM7DHuV5ipjj6Q9RMV3bQaTU=", "created_at": "2026-01-01T00:00:00+00:00"}]', true, NULL, 'fixture sub_a', '{"team": "payments"}', '{"X-Fixture": "sub_a"}', NULL, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');
INSERT INTO webhooks_fixture_v1.subscriptions (id, tenant_id, url, event_types, secrets, enabled, disabled_reason, description, metadata, headers, rate_limit_per_second, created_at, updated_at) VALUES ('sub_b', NULL, 'http://127.0.0.1:9/hooks', '{order.created}', '[{"secret": "whsec_4SVJdJWfOFTFPwM+dfTQXAuvZiY0k239PgwTRVg42fM=", "created_at": "2026-01-01T00:00:00+00:00"}]', true, NULL, 'fixture sub_b', '{"team": "payments"}', '{"X-Fixture": "sub_b"}', NULL, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');
INSERT INTO webhooks_fixture_v1.subscriptions (id, tenant_id, url, event_types, secrets, enabled, disabled_reason, description, metadata, headers, rate_limit_per_second, created_at, updated_at) VALUES ('sub_c', 'acme', 'http://127.0.0.1:9/hooks', '{order.created}', '[{"secret": "whsec_dOHiPnzaTAq+NKxy+Y4AZVtngR1CcVgud6xjNeYmb3c=", "created_at": "2026-01-01T00:00:00+00:00"}]', false, 'paused by operator', 'fixture sub_c', '{"team": "payments"}', '{"X-Fixture": "sub_c"}', NULL, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00');


--
-- Name: attempts attempts_pkey; Type: CONSTRAINT; Schema: webhooks_fixture_v1; Owner: -
--

ALTER TABLE ONLY webhooks_fixture_v1.attempts
    ADD CONSTRAINT attempts_pkey PRIMARY KEY (id);


--
-- Name: deliveries deliveries_pkey; Type: CONSTRAINT; Schema: webhooks_fixture_v1; Owner: -
--

ALTER TABLE ONLY webhooks_fixture_v1.deliveries
    ADD CONSTRAINT deliveries_pkey PRIMARY KEY (id);


--
-- Name: messages messages_pkey; Type: CONSTRAINT; Schema: webhooks_fixture_v1; Owner: -
--

ALTER TABLE ONLY webhooks_fixture_v1.messages
    ADD CONSTRAINT messages_pkey PRIMARY KEY (id);


--
-- Name: schema_version schema_version_pkey; Type: CONSTRAINT; Schema: webhooks_fixture_v1; Owner: -
--

ALTER TABLE ONLY webhooks_fixture_v1.schema_version
    ADD CONSTRAINT schema_version_pkey PRIMARY KEY (version);


--
-- Name: subscriptions subscriptions_pkey; Type: CONSTRAINT; Schema: webhooks_fixture_v1; Owner: -
--

ALTER TABLE ONLY webhooks_fixture_v1.subscriptions
    ADD CONSTRAINT subscriptions_pkey PRIMARY KEY (id);


--
-- Name: attempts_delivery; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE INDEX attempts_delivery ON webhooks_fixture_v1.attempts USING btree (delivery_id, id);


--
-- Name: attempts_message; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE INDEX attempts_message ON webhooks_fixture_v1.attempts USING btree (message_id, id);


--
-- Name: attempts_subscription; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE INDEX attempts_subscription ON webhooks_fixture_v1.attempts USING btree (subscription_id, id);


--
-- Name: deliveries_due_first; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE INDEX deliveries_due_first ON webhooks_fixture_v1.deliveries USING btree (next_attempt_at, id) WHERE ((status = 0) AND (attempt_count = 0));


--
-- Name: deliveries_due_retry; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE INDEX deliveries_due_retry ON webhooks_fixture_v1.deliveries USING btree (next_attempt_at, id) WHERE ((status = 0) AND (attempt_count > 0));


--
-- Name: deliveries_failed; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE INDEX deliveries_failed ON webhooks_fixture_v1.deliveries USING btree (completed_at) WHERE (status = 3);


--
-- Name: deliveries_leased; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE INDEX deliveries_leased ON webhooks_fixture_v1.deliveries USING btree (lease_expires_at, id) WHERE (status = 1);


--
-- Name: deliveries_message_subscription; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE UNIQUE INDEX deliveries_message_subscription ON webhooks_fixture_v1.deliveries USING btree (message_id, subscription_id);


--
-- Name: deliveries_subscription; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE INDEX deliveries_subscription ON webhooks_fixture_v1.deliveries USING btree (subscription_id, id);


--
-- Name: messages_created; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE INDEX messages_created ON webhooks_fixture_v1.messages USING btree (created_at);


--
-- Name: messages_idempotency; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE UNIQUE INDEX messages_idempotency ON webhooks_fixture_v1.messages USING btree (COALESCE(tenant_id, ''::text), idempotency_key) WHERE (idempotency_key IS NOT NULL);


--
-- Name: subscriptions_tenant_enabled; Type: INDEX; Schema: webhooks_fixture_v1; Owner: -
--

CREATE INDEX subscriptions_tenant_enabled ON webhooks_fixture_v1.subscriptions USING btree (tenant_id, id) WHERE enabled;


--
-- Name: attempts attempts_delivery_id_fkey; Type: FK CONSTRAINT; Schema: webhooks_fixture_v1; Owner: -
--

ALTER TABLE ONLY webhooks_fixture_v1.attempts
    ADD CONSTRAINT attempts_delivery_id_fkey FOREIGN KEY (delivery_id) REFERENCES webhooks_fixture_v1.deliveries(id) ON DELETE CASCADE;


--
-- Name: deliveries deliveries_message_id_fkey; Type: FK CONSTRAINT; Schema: webhooks_fixture_v1; Owner: -
--

ALTER TABLE ONLY webhooks_fixture_v1.deliveries
    ADD CONSTRAINT deliveries_message_id_fkey FOREIGN KEY (message_id) REFERENCES webhooks_fixture_v1.messages(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict ZvjmF05Wec9CnsxkflTLipZ5siG17q9aydEkOJjGrW7cHBT189CNYIQVWUQD2pd

