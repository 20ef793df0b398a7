-- Roles for docker-compose: the owner runs migrations and owns the tables; the app role the
-- service connects as owns nothing and cannot bypass row-level security.
CREATE ROLE freight_owner LOGIN PASSWORD 'freight_owner_dev_only';
CREATE ROLE freight_app LOGIN PASSWORD 'freight_app_dev_only' NOSUPERUSER NOBYPASSRLS;
CREATE DATABASE freight OWNER freight_owner;
