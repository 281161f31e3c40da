// Generated from openapi.yaml by `npm run gen:api-types`. Do not edit by hand.
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness; answers while the process runs. */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness; the database answers and every migration is applied. */
        get: operations["getReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This OpenAPI document. */
        get: operations["getApiSchema"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (text exposition); 404 here when METRICS_PORT serves them on their own port. */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api-docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document, readable in a browser (Swagger UI, served from the bundled swagger-ui-dist). */
        get: operations["getApiDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api-docs/assets/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A file the documentation page loads. */
        get: operations["getApiDocsAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/csrf/api/v1/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A CSRF token for browsers, as edx-drf-extensions' csrf app hands it out.
         * @description Sets the `catalog_csrftoken` cookie and answers its token. A browser that authenticates with
         *     the JWT cookies (`edx-jwt-cookie-header-payload` and `edx-jwt-cookie-signature`, rejoined
         *     into one token; an `Authorization` header wins over them) sends the token back in
         *     `X-CSRFToken` with every POST, PUT, PATCH and DELETE, or is refused with 403.
         *     frontend-platform's HTTP client fetches it before its first unsafe request to a service.
         */
        get: operations["getCsrfToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-catalogs/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists catalogs, oldest first. */
        get: operations["listEnterpriseCatalogs"];
        put?: never;
        /** Creates a catalog; an identical filter reuses the existing catalog query. */
        post: operations["createEnterpriseCatalog"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-catalogs/{uuid}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        /** Reads one catalog. */
        get: operations["getEnterpriseCatalog"];
        /** Changes a catalog; title and customer are required, absent optional fields keep their value. */
        put: operations["replaceEnterpriseCatalog"];
        post?: never;
        /** Deletes a catalog; its query stays while other catalogs use it. */
        delete: operations["deleteEnterpriseCatalog"];
        options?: never;
        head?: never;
        /** Changes the given fields of a catalog. */
        patch: operations["updateEnterpriseCatalog"];
        trace?: never;
    };
    "/api/v1/enterprise-catalogs/{uuid}/refresh_metadata/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queues a refresh of the catalog's query from discovery; the body is ignored.
         * @description At most one refresh per distinct filter waits in the queue: asking again while one waits
         *     answers with the waiting job's id.
         */
        post: operations["refreshEnterpriseCatalogMetadata"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-catalogs/{uuid}/history/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        /**
         * The catalog's change history, newest first (added by this service).
         * @description Who changed the catalog (the JWT subject), when, and its fields before and after, from its
         *     creation on; it stays readable by the admins of the catalog's last enterprise after the
         *     catalog is deleted. See docs/decisions/ on the change history.
         */
        get: operations["getEnterpriseCatalogHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-catalogs/{uuid}/contains_content_items/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        /**
         * Whether the catalog contains any of the given courses, course runs or programs.
         * @description ANY semantics, as the reference answers (its docstring says "all"): true when at least one
         *     key matches. A key matches when the catalog holds it, holds a run of that course, or holds
         *     the course of that run; programs match on their own uuid only. Both parameters are merged
         *     into one list of keys (at most 2,000; more answer 400); at least one key is required. A `+`
         *     sent raw (which form decoding turns into a space) counts as `+`. An unknown catalog answers
         *     404 before a missing key is reported.
         */
        get: operations["catalogContainsContentItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-catalogs/{uuid}/get_content_metadata/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        /**
         * The catalog's content, a page at a time, with enrollment URLs and the catalog's UTM parameters.
         * @description Without `content_keys`: every item of the catalog except courses with no active run, in
         *     content-key order (Unicode code points), numbered pages (default 10, at most 100) that are as
         *     fast deep in the list as at its start. With `content_keys` (at most 100): the items they match,
         *     parent/child aware as containment is, inactive courses included. `traverse_pagination` (any
         *     non-empty value) returns everything on one page. `ETag` and `Last-Modified` follow the
         *     catalog's content version and modification: `If-None-Match` (or `If-Modified-Since`) with
         *     the current value answers 304 with no body.
         */
        get: operations["getCatalogContentMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-catalogs/{uuid}/generate_diff": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        /** Compares the given content keys with the catalog (exact keys, at most 100 in a GET). */
        get: operations["getCatalogContentDiff"];
        put?: never;
        /**
         * Compares the content keys of the JSON body with the catalog (exact keys, at most 100,000).
         * @description edx-enterprise's integrated channels send every content key they transmitted for the catalog
         *     in one body. The reference has no limit; this service takes up to 100,000 distinct keys in a
         *     body of up to 16 MiB (400 for more keys, 413 for a larger body), several times what a channel
         *     sends, and compares them in chunks in one snapshot of the catalog.
         */
        post: operations["postCatalogContentDiff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-customer/{uuid}/contains_content_items/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
            };
            cookie?: never;
        };
        /**
         * Whether any catalog of the customer contains any of the given keys, and optionally which.
         * @description The catalog-level rules over every catalog of the customer. `get_catalog_list` or
         *     `get_catalogs_containing_specified_content_ids` with any non-empty value (even `false`, as the
         *     reference reads it) adds `catalog_list`: the customer's catalogs containing any key, oldest
         *     first. A customer with no catalogs answers false.
         */
        get: operations["customerContainsContentItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-customer/{uuid}/filter_content_items/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The given keys that a catalog of the customer holds (exactly, or as the course of a run it holds).
         * @description A run key is not returned when a catalog holds only its course (unlike containment). With
         *     `catalog_uuids`, only those catalogs count, and only those of them that belong to the
         *     customer (the reference does not check ownership; this service does). At most 2,000 keys.
         */
        post: operations["customerFilterContentItems"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-customer/{uuid}/content-metadata/{identifier}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
                /** @description A content uuid, or a content key (course key, course-run key, program uuid). */
                identifier: components["parameters"]["ContentIdentifier"];
            };
            cookie?: never;
        };
        /**
         * One item from the customer's oldest catalog that holds it, shown in that catalog.
         * @description A uuid matches `content_uuid`; anything else is a content key matched as containment does
         *     (the exact key first, then a run's course, then a course's runs). `skip_customer_fetch` (any
         *     non-empty value) leaves enrollment URLs out, as the reference does.
         */
        get: operations["getCustomerContentMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/enterprise-catalogs/{uuid}/contains_content_items/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        /**
         * As `/api/v1`, and a restricted run the catalog's query allows counts as contained.
         * @description `/api/v1/enterprise-catalogs/{uuid}/contains_content_items/` with one more way to match: a
         *     restricted run the catalog's query allows, through its course, which the catalog holds. A
         *     restricted run another query allows, or none allows, is not contained.
         */
        get: operations["catalogContainsContentItemsV2"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/enterprise-catalogs/{uuid}/get_content_metadata/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        /**
         * As `/api/v1`, each course shown with the restricted runs the catalog's query allows.
         * @description `/api/v1/enterprise-catalogs/{uuid}/get_content_metadata/` (parameters, pages, `ETag`),
         *     except that a course the query allows restricted runs of lists them after its own in
         *     `course_runs`, with `course_run_keys`, `course_run_statuses` and
         *     `first_enrollable_paid_seat_price` recomputed over that set and their entries in
         *     `normalized_metadata_by_run`; an allowed restricted run that is published and enrollable
         *     counts as active, so a course whose only open run is one is listed and `active`.
         *     `content_keys` may name an allowed restricted run: its course answers.
         */
        get: operations["getCatalogContentMetadataV2"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/enterprise-customer/{uuid}/contains_content_items/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
            };
            cookie?: never;
        };
        /**
         * As `/api/v1`, and a restricted run counts in the catalogs whose query allows it.
         * @description `/api/v1/enterprise-customer/{uuid}/contains_content_items/` with the catalog-level v2 rule:
         *     `catalog_list` names only the catalogs whose query allows a requested restricted run.
         */
        get: operations["customerContainsContentItemsV2"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/enterprise-customer/{uuid}/filter_content_items/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The same answer as `/api/v1`'s.
         * @description The reference's v2 asks the same question of its restricted-aware content, and gets the same
         *     answer: a key counts when a catalog holds it exactly or holds a run of it, and a restricted
         *     run is never held as itself (it only belongs to its course), so restricted runs change
         *     nothing here. At most 2,000 keys; `catalog_uuids` as in `/api/v1`.
         */
        post: operations["customerFilterContentItemsV2"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/enterprise-customer/{uuid}/content-metadata/{identifier}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
                /** @description A content uuid, or a content key (course key, course-run key, program uuid). */
                identifier: components["parameters"]["ContentIdentifier"];
            };
            cookie?: never;
        };
        /**
         * As `/api/v1`, restricted runs included, a uuid resolved to its content's key first.
         * @description `/api/v1/enterprise-customer/{uuid}/content-metadata/{identifier}/`, except that, as the
         *     reference's v2: a uuid is first resolved to the key of the stored content that has it
         *     (whichever catalog holds it), which is then matched as a key is; an allowed restricted run
         *     matches through its course; and a course is shown with the restricted runs the query of the
         *     catalog it is shown in allows (as in v2 `get_content_metadata`).
         */
        get: operations["getCustomerContentMetadataV2"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/content-metadata/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stored content by key or uuid (or all of it), with no catalog context.
         * @description Uuids match `content_uuid`, anything else `content_key`; unknown identifiers are dropped.
         *     `coerce_to_parent_course` (any non-empty value) replaces runs by their courses and returns no
         *     runs. Content-key order; page-number pages of 10 by default, at most 100.
         */
        get: operations["listContentMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/content-metadata/{identifier}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A content uuid, or a content key (course key, course-run key, program uuid). */
                identifier: components["parameters"]["ContentIdentifier"];
            };
            cookie?: never;
        };
        /**
         * One stored item by content uuid or key, with no catalog context.
         * @description The service has no numeric content ids: an all-digit identifier is looked up as a key.
         */
        get: operations["getContentMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/distinct-catalog-queries/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Groups the named catalogs by the query they share (unknown catalogs are left out).
         * @description Keys of `catalog_uuids_by_catalog_query_id` are query uuids: this service has no integer query ids.
         */
        post: operations["distinctCatalogQueries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog-queries/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists catalog queries, oldest first. */
        get: operations["listCatalogQueries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog-queries/get_query_by_hash": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Finds the query whose content filter has this hash. */
        get: operations["getCatalogQueryByHash"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog-queries/get_content_filter_hash": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Hashes the content filter sent as the JSON body of this GET, as the reference does.
         * @description The body may also be form-encoded, as edx-enterprise sends it: each field is a filter key,
         *     its value a string, and a field repeated becomes the list of its values (the reference kept
         *     only the last one; see docs/compatibility.md).
         */
        get: operations["getContentFilterHash"];
        put?: never;
        /**
         * Hashes the content filter sent as the JSON body (for clients that cannot send a GET body).
         * @description The body may also be form-encoded, read as the GET reads it.
         */
        post: operations["postContentFilterHash"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/catalog-queries/{uuid}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The query's uuid. */
                uuid: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        /** Reads one catalog query with its latest refresh runs. */
        get: operations["getCatalogQuery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-customer/{uuid}/enroll_learners_in_courses/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid. */
                uuid: components["parameters"]["CustomerUuid"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enrolls learners in course runs of the customer's catalogs, best effort, up to 10,000 items per request.
         * @description The body and answers of edx-enterprise's `enroll_learners_in_courses` (see the legacy path),
         *     plus a catalog check the legacy endpoint lacks: every distinct `course_run_key` is checked
         *     against the customer's catalogs in one lookup, and runs outside them fail with
         *     `reason: not_in_catalog`. The whole body is validated first; one bad item rejects the
         *     request (400, the legacy serializer's messages in `errors`) and nothing is written. Then
         *     each item is recorded on its own: known learners are enrolled (`successes`), unknown
         *     emails get a pending enrollment (`pending`), the rest fail with a `reason` (`failures`).
         *     Unknown user ids and malformed emails are listed in `invalid_user_ids` /
         *     `invalid_email_addresses`, present only when non-empty.
         *
         *     Status: 409 when anything failed or was invalid (the other items still were recorded),
         *     else 202 when anything is pending, else 201. Replaying a request creates nothing new and
         *     reports `created: false`. The mode is chosen per run (verified, professional,
         *     no-id-professional, audit, honor, unpaid-executive-education, else audit); callers cannot
         *     choose it. Limits: 10,000 items and 8 MiB of JSON per request. A customer with no catalog
         *     answers 404.
         */
        post: operations["enrollLearnersInCourses"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/enterprise/api/v1/enterprise-customer/{uuid}/enroll_learners_in_courses/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid. */
                uuid: components["parameters"]["CustomerUuid"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The edx-enterprise path of enrollLearnersInCourses; same body, same answers. */
        post: operations["enrollLearnersInCoursesLegacy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/learners/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Registers learners the LMS knows (user id and email) so that enrollment can find them; up to 10,000 per request.
         * @description New user ids are added; a known user id gets the email given. Emails are stored
         *     lower-cased and belong to one user id. All or nothing: a bad, repeated or conflicting
         *     learner rejects the request and nothing is written. Pending enrollments of the learners'
         *     emails then become enrollments (listed in `enrollments_from_pending`) when their run is
         *     still in the stored content; a repeated request finishes a conversion that failed.
         */
        post: operations["registerLearners"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/enterprise/api/v1/enterprise_catalogs/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Legacy edx-enterprise catalog list (edx pagination, legacy fields).
         * @description The catalogs the caller administers, oldest first unless `ordering` says otherwise (the
         *     legacy django-filter fields: `uuid`, `title`, `enterprise_customer`, `created`, `modified`,
         *     exact matches). `enterprise_catalog_query` is the legacy integer id of the query, which this
         *     service does not have: it is null, and the query's uuid is in the added
         *     `catalog_query_uuid`; filtering on it answers 400, as the legacy filter answers for an id it
         *     does not know. See docs/compatibility.md.
         */
        get: operations["listLegacyEnterpriseCatalogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/enterprise/api/v1/enterprise_catalogs/{uuid}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        /**
         * Legacy catalog retrieve with one page of its content.
         * @description The six legacy catalog fields, then `count`, `previous`, `next`, `results`. Content comes from
         *     the service's own copy (never from discovery): runs without enrollable seats, programs not
         *     eligible for one-click purchase and learner pathways are left out of `results` as the legacy
         *     view drops them, while `count` counts the catalog's listed items before that filter, as the
         *     legacy count was discovery's raw count. Default page size 20 (discovery's), at most 100.
         */
        get: operations["getLegacyEnterpriseCatalog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/enterprise/api/v1/enterprise_catalogs/{uuid}/contains_content_items/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        /**
         * Legacy containment; true only when the catalog contains every given key.
         * @description ALL semantics, as the legacy service answers: every course key, run key and program uuid
         *     must be in the catalog (a run also counts when the catalog holds its course). At least one
         *     key is required (400 with the legacy text), at most 2,000.
         */
        get: operations["legacyCatalogContainsContentItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/enterprise/api/v1/enterprise-customer/{uuid}/contains_content_items/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid. */
                uuid: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        /**
         * Legacy customer containment; true when one catalog of the customer contains every key.
         * @description A union across catalogs does not count, and `get_catalog_list` is ignored, as in the legacy
         *     service. A customer with no catalogs answers false.
         */
        get: operations["legacyCustomerContainsContentItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/enterprise/api/v1/enterprise_catalogs/{uuid}/courses/{course_key}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
                /** @description A course key such as `edX+DemoX`. */
                course_key: string;
            };
            cookie?: never;
        };
        /** A course of the catalog with legacy enrollment URLs on it and on its runs. */
        get: operations["getLegacyCatalogCourse"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/enterprise/api/v1/enterprise_catalogs/{uuid}/course_runs/{course_run_key}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
                /** @description A course run key such as `course-v1:edX+DemoX+2T2025`. */
                course_run_key: string;
            };
            cookie?: never;
        };
        /** A course run of the catalog with its legacy enrollment URL. */
        get: operations["getLegacyCatalogCourseRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/enterprise/api/v1/enterprise_catalogs/{uuid}/programs/{program_uuid}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
                /** @description The program's uuid. */
                program_uuid: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        /** A program of the catalog with legacy enrollment URLs on it, its courses and their runs. */
        get: operations["getLegacyCatalogProgram"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-curations/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists curation configs of the caller's enterprises, newest first, as learners see them.
         * @description Each config lists its highlight sets, newest first: only published ones, except in the
         *     enterprises the caller administers. Highlights resolve against the customer's catalogs as
         *     they are now; content no catalog holds any more is left out and counted in
         *     `archived_content_count`.
         */
        get: operations["listEnterpriseCurations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-curations/{uuid}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The curation config's uuid. */
                uuid: components["parameters"]["CurationUuid"];
            };
            cookie?: never;
        };
        /** Reads one curation config as learners see it. */
        get: operations["getEnterpriseCuration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-curations-admin/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists curation configs of the enterprises the caller administers, newest first, with every set. */
        get: operations["listEnterpriseCurationsAdmin"];
        put?: never;
        /**
         * Creates the enterprise's curation config (one per enterprise).
         * @description An enterprise that has one already answers 400 with the reference's text.
         */
        post: operations["createEnterpriseCuration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/enterprise-curations-admin/{uuid}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The curation config's uuid. */
                uuid: components["parameters"]["CurationUuid"];
            };
            cookie?: never;
        };
        /** Reads one curation config with every set, published or not. */
        get: operations["getEnterpriseCurationAdmin"];
        /** Changes a curation config; title and customer are required, and the customer cannot change. */
        put: operations["replaceEnterpriseCuration"];
        post?: never;
        /** Deletes a curation config with its highlight sets and their content. */
        delete: operations["deleteEnterpriseCuration"];
        options?: never;
        head?: never;
        /** Changes the given fields of a curation config. */
        patch: operations["updateEnterpriseCuration"];
        trace?: never;
    };
    "/api/v1/enterprise-curations-admin/{uuid}/history/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The curation config's uuid. */
                uuid: components["parameters"]["CurationUuid"];
            };
            cookie?: never;
        };
        /**
         * The change history of a curation config, its highlight sets and their content, newest first (added by this service).
         * @description It stays readable by the admins of the config's enterprise after the config is deleted.
         *     See docs/decisions/ on the change history.
         */
        get: operations["getEnterpriseCurationHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/highlight-sets/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the highlight sets of the caller's enterprises, newest first; only published ones outside the enterprises the caller administers. */
        get: operations["listHighlightSets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/highlight-sets/{uuid}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        /** Reads one highlight set; an unpublished one answers 404 unless the caller administers its enterprise. */
        get: operations["getHighlightSet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/highlight-sets-admin/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists every highlight set of the enterprises the caller administers, newest first. */
        get: operations["listHighlightSetsAdmin"];
        put?: never;
        /**
         * Creates a highlight set in the enterprise's curation config, with the given content.
         * @description Content keys that no catalog of the customer contains are ignored and listed in
         *     `ignored_content_keys`. 400 when the enterprise has no curation config; 403 at 16 sets or
         *     for more than 24 keys (the reference's limits and texts).
         */
        post: operations["createHighlightSet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/highlight-sets-admin/{uuid}/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        /** Reads one highlight set, published or not. */
        get: operations["getHighlightSetAdmin"];
        /** Changes a highlight set's title (required) and publication. */
        put: operations["replaceHighlightSet"];
        post?: never;
        /** Deletes a highlight set with its content. */
        delete: operations["deleteHighlightSet"];
        options?: never;
        head?: never;
        /** Changes a highlight set's title or publication (`{"is_published": true}` publishes it). */
        patch: operations["updateHighlightSet"];
        trace?: never;
    };
    "/api/v1/highlight-sets-admin/{uuid}/add-content/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Adds content some catalog of the customer contains; 403 (nothing added) when the set would hold more than 24. */
        post: operations["addHighlightSetContent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/highlight-sets-admin/{uuid}/remove-content/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Removes content from the set, shown or archived. */
        post: operations["removeHighlightSetContent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/highlight-sets-admin/{uuid}/edit-highlight-title/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Renames the set; 400 "Missing title parameter" without a title, 403 beyond 60 characters. */
        post: operations["editHighlightSetTitle"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/highlight-sets-admin/{uuid}/toggle-favorite-highlight/": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Marks highlighted content of the set as a favorite or not; 400 with the reference's texts for a missing, bad or foreign one. */
        post: operations["toggleFavoriteHighlight"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Uuid: string;
        /** Format: date-time */
        Timestamp: string;
        /** @description A discovery search/all filter; keys AND, list values OR (see docs/architecture.md). */
        ContentFilter: {
            [key: string]: unknown;
        };
        ContentFilterHash: string;
        /** @description A boolean; edx-enterprise sends the strings "true" and "false", which are accepted too. */
        BooleanLike: boolean | ("true" | "false" | "True" | "False");
        /** @description Writable catalog fields. Unknown fields are ignored, as the reference does (at most 50 fields in all). */
        EnterpriseCatalogFields: {
            title?: string;
            enterprise_customer?: components["schemas"]["Uuid"];
            enterprise_customer_name?: string;
            content_filter?: components["schemas"]["ContentFilter"];
            enabled_course_modes?: string[];
            publish_audit_enrollment_urls?: components["schemas"]["BooleanLike"];
            /** @description The uuid a new query for this filter gets, when that uuid is free. */
            catalog_query_uuid?: components["schemas"]["Uuid"] | null;
            /** @description The title a new query for this filter gets. */
            query_title?: string | null;
        };
        EnterpriseCatalogCreate: components["schemas"]["EnterpriseCatalogFields"] & {
            title: string;
            enterprise_customer: components["schemas"]["Uuid"];
            /** @description A client-chosen uuid (edx-enterprise sends its own); generated when absent. */
            uuid?: components["schemas"]["Uuid"];
        };
        EnterpriseCatalogReplace: components["schemas"]["EnterpriseCatalogFields"] & {
            title: string;
            enterprise_customer: components["schemas"]["Uuid"];
        };
        EnterpriseCatalog: {
            uuid: components["schemas"]["Uuid"];
            title: string;
            enterprise_customer: components["schemas"]["Uuid"];
            catalog_query_uuid: components["schemas"]["Uuid"];
            /**
             * Format: date-time
             * @description Latest modification of the catalog's content, or null before its first refresh.
             */
            content_last_modified: string | null;
            catalog_modified: components["schemas"]["Timestamp"];
            query_title: string | null;
            /**
             * Format: date-time
             * @description When the catalog's content was last refreshed from discovery (added by this service).
             */
            content_last_refreshed: string | null;
        };
        CatalogQuery: {
            uuid: components["schemas"]["Uuid"];
            content_filter: components["schemas"]["ContentFilter"];
            content_filter_hash: components["schemas"]["ContentFilterHash"];
            title: string | null;
            /**
             * Format: date-time
             * @description When the query's content was last refreshed from discovery (added by this service).
             */
            content_last_refreshed: string | null;
            /** @description Number of content items the query holds (added by this service). */
            item_count: number;
            /**
             * @description How the last refresh attempt ended (added by this service).
             * @enum {string|null}
             */
            last_refresh_outcome: "succeeded" | "failed" | "held" | null;
        };
        RefreshRun: {
            uuid: components["schemas"]["Uuid"];
            /** @enum {string} */
            trigger: "catalog_saved" | "on_demand" | "sweep";
            started_at: components["schemas"]["Timestamp"];
            finished_at: components["schemas"]["Timestamp"];
            /** @enum {string} */
            outcome: "succeeded" | "failed" | "held";
            added: number;
            removed: number;
            updated: number;
            unchanged: number;
            discovery_requests: number;
            /**
             * @description The stage a failed run stopped in (the search, the full records, the allowed restricted runs, or applying them); null otherwise.
             * @enum {string|null}
             */
            stage: "search" | "courses" | "programs" | "reviews" | "restricted" | "apply" | null;
            message: string | null;
        };
        PageLinks: {
            count: number;
            next: string | null;
            previous: string | null;
        };
        NumberedPageLinks: components["schemas"]["PageLinks"] & {
            num_pages: number;
            current_page: number;
            start: number;
        };
        /** @description Writable curation config fields. Unknown fields are ignored (at most 50 fields in all). */
        EnterpriseCurationFields: {
            title?: string;
            /** @description On a change, the config's own enterprise (a config never changes enterprise). */
            enterprise_customer?: components["schemas"]["Uuid"];
            is_highlight_feature_active?: components["schemas"]["BooleanLike"];
            can_only_view_highlight_sets?: components["schemas"]["BooleanLike"];
        };
        EnterpriseCurationCreate: components["schemas"]["EnterpriseCurationFields"] & {
            enterprise_customer: components["schemas"]["Uuid"];
            title: string;
        };
        EnterpriseCurationReplace: components["schemas"]["EnterpriseCurationFields"] & {
            enterprise_customer: components["schemas"]["Uuid"];
            title: string;
        };
        EnterpriseCuration: {
            uuid: components["schemas"]["Uuid"];
            created: components["schemas"]["Timestamp"];
            modified: components["schemas"]["Timestamp"];
            enterprise_customer: components["schemas"]["Uuid"];
            title: string;
            is_highlight_feature_active: boolean;
            can_only_view_highlight_sets: boolean;
            /** @description The sets the caller sees, newest first. */
            highlight_sets: {
                uuid: components["schemas"]["Uuid"];
                is_published: boolean;
                title: string;
                card_image_url: string | null;
                /** @description The shown highlights, in the order they were added. */
                highlighted_content_uuids: components["schemas"]["Uuid"][];
                /** @description Highlights no catalog of the customer contains any more (not shown), plus shown ones whose runs are all archived or unpublished. */
                archived_content_count: number;
            }[];
        };
        /** @description Writable highlight set fields. Unknown fields are ignored (at most 50 fields in all). */
        HighlightSetFields: {
            title?: string;
            is_published?: components["schemas"]["BooleanLike"];
        };
        HighlightSetReplace: components["schemas"]["HighlightSetFields"] & {
            title: string;
        };
        /** @description Content keys as requested; the reference accepts (and ignores) nulls among them. */
        RequestedContentKeys: (string | null)[];
        HighlightSetCreate: components["schemas"]["HighlightSetFields"] & {
            enterprise_customer: components["schemas"]["Uuid"];
            title: string;
            content_keys?: components["schemas"]["RequestedContentKeys"];
        };
        /** @description The content keys to add or remove (none when absent). Unknown fields are ignored (at most 50 fields in all). */
        ContentKeysBody: {
            content_keys?: components["schemas"]["RequestedContentKeys"];
        };
        HighlightSet: {
            uuid: components["schemas"]["Uuid"];
            title: string;
            is_published: boolean;
            enterprise_curation: components["schemas"]["Uuid"];
            /** @description The card image of the earliest-added shown content that has one. */
            card_image_url: string | null;
            /** @description The content some catalog of the customer contains now, in the order it was added. */
            highlighted_content: components["schemas"]["HighlightedContent"][];
        };
        /** @description One highlighted item, its fields read from the stored metadata as the reference reads them. */
        HighlightedContent: {
            uuid: components["schemas"]["Uuid"];
            aggregation_key: string | null;
            /** @enum {string} */
            content_type: "course" | "courserun" | "program" | "learnerpathway";
            content_key: string;
            title: string | null;
            /** @description `image_url` of courses and runs, `card_image_url` of programs, `card_image.card.url` of pathways. */
            card_image_url: string | null;
            /** @description A course's `owners`, a program's `authoring_organizations`; empty for runs and pathways. */
            authoring_organizations: {
                uuid: string | null;
                name: string | null;
                logo_image_url: string | null;
            }[];
            course_run_statuses: string[] | null;
            is_favorite: boolean;
            /** @description Always 0 (the reference's API has no way to set it). */
            sort_order: number;
        };
        /** @description One change of one record (added by this service). */
        HistoryEntry: {
            changed_at: components["schemas"]["Timestamp"];
            /** @description The JWT subject of the caller who made the change (or the name an in-process caller gave). */
            changed_by: string;
            /** @enum {string} */
            action: "created" | "changed" | "deleted";
            /** @enum {string} */
            record_type: "enterprise_catalog" | "enterprise_curation" | "highlight_set" | "highlighted_content";
            record_uuid: components["schemas"]["Uuid"];
            /** @description The fields whose values differ between before and after (every field of a created or deleted record). */
            changed_fields: string[];
            /** @description The record before the change, under the API's field names; null when it was created. */
            before: {
                [key: string]: unknown;
            } | null;
            /** @description The record after the change; null when it was deleted. */
            after: {
                [key: string]: unknown;
            } | null;
        };
        LegacyContainsContentItems: {
            contains_content_items: boolean;
        };
        LegacyCatalog: {
            uuid: components["schemas"]["Uuid"];
            title: string;
            enterprise_customer: components["schemas"]["Uuid"];
            /** @description The legacy integer query id; this service has none, so it is always null. */
            enterprise_catalog_query: null;
            created: components["schemas"]["Timestamp"];
            modified: components["schemas"]["Timestamp"];
            /** @description The catalog query's uuid (added by this service). */
            catalog_query_uuid: components["schemas"]["Uuid"];
        };
        ContainsContentItems: {
            contains_content_items: boolean;
            /** @description The customer's catalogs containing any key, oldest first (only when asked for). */
            catalog_list?: components["schemas"]["Uuid"][];
        };
        /**
         * @description The discovery record as stored, plus computed fields: `parent_content_key`,
         *     `content_last_modified` (the later of the item's and the catalog's modification), and in a
         *     catalog `marketing_url` with `utm_medium=enterprise&utm_source=<customer slug>`,
         *     `enrollment_url` (null for programs) and `xapi_activity_id`; courses get `active` and, in a
         *     catalog, nested runs get `parent_content_key` and `enrollment_url`.
         */
        ContentMetadataItem: {
            /** @enum {string} */
            content_type: "course" | "courserun" | "program" | "learnerpathway";
            parent_content_key: string | null;
            content_last_modified: components["schemas"]["Timestamp"];
            enrollment_url?: string | null;
            xapi_activity_id?: string | null;
            active?: boolean;
        } & {
            [key: string]: unknown;
        };
        /**
         * @description edx DefaultPagination's envelope, then the catalog's `uuid`, `title` and `enterprise_customer`;
         *     with `traverse_pagination` only `previous`, `next`, `count` and `results` before them.
         */
        CatalogContentPage: {
            next: string | null;
            previous: string | null;
            count: number;
            num_pages?: number;
            current_page?: number;
            start?: number;
            results: components["schemas"]["ContentMetadataItem"][];
            uuid: components["schemas"]["Uuid"];
            title: string;
            enterprise_customer: components["schemas"]["Uuid"];
        };
        CatalogContentDiff: {
            items_not_found: {
                content_key: string;
            }[];
            items_not_included: {
                content_key: string;
            }[];
            items_found: {
                content_key: string;
                date_updated: components["schemas"]["Timestamp"];
            }[];
        };
        Readiness: {
            /** @enum {string} */
            status: "ready" | "unavailable";
            checks: {
                [key: string]: string;
            };
        };
        FieldError: {
            field: string;
            message: string;
        };
        /** @description RFC 9457 problem details. */
        Problem: {
            type: string;
            title: string;
            status: number;
            detail: string;
            instance?: string;
            errors?: components["schemas"]["FieldError"][];
        };
        /** @description edx-enterprise's bulk enrollment body. Unknown fields are ignored, as the legacy serializer does. */
        BulkEnrollmentRequest: {
            enrollments_info?: components["schemas"]["EnrollmentInfo"][];
            /** @description The legacy alias of `enrollments_info`; send one of the two. */
            licenses_info?: components["schemas"]["EnrollmentInfo"][];
            /** @description Accepted for compatibility; this service sends no email. */
            notify?: components["schemas"]["BooleanLike"];
            /** @description Percentage off, stored on pending enrollments (default 100). */
            discount?: number | string;
            reason?: string;
            salesforce_id?: string;
        };
        /**
         * @description One learner and course run. Give `user_id` or `email` (both: they must name the same
         *     learner), `course_run_key`, and exactly one of `license_uuid` and `transaction_id`.
         */
        EnrollmentInfo: {
            /** @description An LMS user id; numeric strings are accepted, as the legacy serializer does. */
            user_id?: number | string;
            email?: string;
            course_run_key?: string;
            license_uuid?: string;
            transaction_id?: string;
            /** @description Enroll even when the run's enrollment window is closed. */
            force_enrollment?: components["schemas"]["BooleanLike"];
            /** @description Accepted for compatibility; ignored. */
            is_default_auto_enrollment?: components["schemas"]["BooleanLike"];
        };
        BulkEnrollmentResult: {
            successes: {
                user_id: number;
                email: string;
                course_run_key: string;
                /** @description True only when this request created the enrollment. */
                created: boolean;
                activation_link: null;
                /** @description The enrollment's uuid; the same on every replay. */
                enterprise_fulfillment_source_uuid: components["schemas"]["Uuid"];
                /** @description The enrollment's course mode (added by this service). */
                mode: string;
            }[];
            pending: {
                email: string;
                course_run_key: string;
                /** @description True only when this request created the pending enrollment. */
                created: boolean;
                activation_link: null;
            }[];
            failures: {
                user_id: number | null;
                email: string | null;
                course_run_key: string;
                /**
                 * @description Why the item was not enrolled (added by this service; the legacy endpoint gives none).
                 * @enum {string}
                 */
                reason: "not_in_catalog" | "unknown_course_run" | "enrollment_closed" | "mode_unavailable" | "enrolled_in_other_mode" | "learner_mismatch" | "unknown_learner" | "write_failed";
            }[];
            /** @description Present only when non-empty. */
            invalid_email_addresses?: string[];
            /** @description Present only when non-empty. */
            invalid_user_ids?: number[];
        };
        LearnerRegistrationRequest: {
            learners: {
                user_id: number;
                email: string;
            }[];
        };
        LearnerRegistration: {
            created: number;
            updated: number;
            unchanged: number;
            /** @description Enrollments this request created from pending enrollments of the learners' emails. */
            enrollments_from_pending: {
                /** Format: uuid */
                enrollment_uuid: string;
                user_id: number;
                course_run_key: string;
                mode: string;
                /** Format: uuid */
                enterprise_customer_uuid: string;
            }[];
        };
    };
    responses: {
        /** @description The item, as discovery described it at the last refresh, with legacy enrollment URLs. */
        LegacyItem: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    enrollment_url: string | null;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        /** @description The curation config. */
        Curation: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["EnterpriseCuration"];
            };
        };
        /** @description A page of curation configs. */
        CurationPage: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["NumberedPageLinks"] & {
                    results: components["schemas"]["EnterpriseCuration"][];
                };
            };
        };
        /** @description The highlight set. */
        HighlightSet: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["HighlightSet"];
            };
        };
        /** @description A page of highlight sets. */
        HighlightSetPage: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["NumberedPageLinks"] & {
                    results: components["schemas"]["HighlightSet"][];
                };
            };
        };
        /** @description A page of the change history, newest first. */
        HistoryPage: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["NumberedPageLinks"] & {
                    results: components["schemas"]["HistoryEntry"][];
                };
            };
        };
        /** @description No credentials, or a token that is expired, badly signed or malformed. Carries `WWW-Authenticate`. */
        Unauthorized: {
            headers: {
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The caller lacks the role this operation needs for that enterprise; nothing was changed. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request is malformed; nothing was changed. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Nothing with that identifier is visible to the caller. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The change conflicts with existing data; nothing was changed. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request body is larger than the service accepts. */
        TooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request body is not JSON. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The service's database cannot be reached or did not answer in time; retry after `Retry-After` seconds. A write that answered this may or may not have been applied. */
        DatabaseUnavailable: {
            headers: {
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /** @description The enterprise customer's uuid. */
        CustomerUuid: components["schemas"]["Uuid"];
        /** @description The catalog's uuid. */
        CatalogUuid: components["schemas"]["Uuid"];
        /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
        Page: string;
        /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
        PageSize: string;
        /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
        CustomerPathUuid: string;
        /** @description A content uuid, or a content key (course key, course-run key, program uuid). */
        ContentIdentifier: string;
        /** @description Course keys or course-run keys (repeat the parameter; `a,b` is one key). */
        CourseRunIds: string[];
        /** @description Program uuids (repeat the parameter); merged with `course_run_ids`. */
        ProgramUuids: string[];
        /** @description Any non-empty value returns a course run's course instead of the run. */
        CoerceToParentCourse: string;
        /** @description The curation config's uuid. */
        CurationUuid: components["schemas"]["Uuid"];
        /** @description The highlight set's uuid. */
        HighlightSetUuid: components["schemas"]["Uuid"];
        /** @description Only this customer's; a customer the caller has no role in gives an empty page. */
        EnterpriseCustomerFilter: components["schemas"]["Uuid"];
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
        };
    };
    getReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Not ready. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    getApiSchema: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The document, as YAML. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": string;
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request durations by route and status, refresh and discovery outcomes, query freshness, queue depths, process metrics. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            404: components["responses"]["NotFound"];
        };
    };
    getApiDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getApiDocsAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                file: "swagger-ui.css" | "swagger-ui-bundle.js" | "swagger-ui-standalone-preset.js" | "favicon-32x32.png" | "api-docs.js";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/css": string;
                    "text/javascript": string;
                    "image/png": string;
                };
            };
            400: components["responses"]["BadRequest"];
        };
    };
    getCsrfToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token; the same one while the cookie lasts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        csrfToken: string;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
        };
    };
    listEnterpriseCatalogs: {
        parameters: {
            query?: {
                /** @description Only catalogs of this customer. */
                enterprise_customer?: components["schemas"]["Uuid"];
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of catalogs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageLinks"] & {
                        results: components["schemas"]["EnterpriseCatalog"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    createEnterpriseCatalog: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnterpriseCatalogCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnterpriseCatalog"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getEnterpriseCatalog: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The catalog. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnterpriseCatalog"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    replaceEnterpriseCatalog: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnterpriseCatalogReplace"];
            };
        };
        responses: {
            /** @description The changed catalog. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnterpriseCatalog"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    deleteEnterpriseCatalog: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    updateEnterpriseCatalog: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnterpriseCatalogFields"];
            };
        };
        responses: {
            /** @description The changed catalog. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnterpriseCatalog"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    refreshEnterpriseCatalogMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The id of the queued refresh job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        async_task_id: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getEnterpriseCatalogHistory: {
        parameters: {
            query?: {
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
            };
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["HistoryPage"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    catalogContainsContentItems: {
        parameters: {
            query?: {
                /** @description Course keys or course-run keys (repeat the parameter; `a,b` is one key). */
                course_run_ids?: components["parameters"]["CourseRunIds"];
                /** @description Program uuids (repeat the parameter); merged with `course_run_ids`. */
                program_uuids?: components["parameters"]["ProgramUuids"];
            };
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether any key matches. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContainsContentItems"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getCatalogContentMetadata: {
        parameters: {
            query?: {
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
                /** @description Only the content matching these keys (repeat the parameter); at most 100. */
                content_keys?: string[];
                /** @description Any non-empty value returns every item on one page. */
                traverse_pagination?: string;
            };
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of content (or all of it) and the catalog it belongs to. */
            200: {
                headers: {
                    ETag?: string;
                    "Last-Modified"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogContentPage"];
                };
            };
            /** @description The content has not changed since the `ETag` or date the client sent. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getCatalogContentDiff: {
        parameters: {
            query?: {
                /** @description The keys to compare (repeat the parameter); at least 1, at most 100. */
                content_keys?: string[];
            };
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The keys the catalog lacks, the catalog's keys not sent, and the keys found with their last change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogContentDiff"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    postCatalogContentDiff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    content_keys?: string[];
                };
            };
        };
        responses: {
            /** @description The keys the catalog lacks, the catalog's keys not sent, and the keys found with their last change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogContentDiff"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    customerContainsContentItems: {
        parameters: {
            query?: {
                /** @description Course keys or course-run keys (repeat the parameter; `a,b` is one key). */
                course_run_ids?: components["parameters"]["CourseRunIds"];
                /** @description Program uuids (repeat the parameter); merged with `course_run_ids`. */
                program_uuids?: components["parameters"]["ProgramUuids"];
                get_catalog_list?: string;
                get_catalogs_containing_specified_content_ids?: string;
            };
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether any key matches, and with the flag which catalogs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContainsContentItems"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    customerFilterContentItems: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    content_keys?: string[];
                    catalog_uuids?: components["schemas"]["Uuid"][];
                };
            };
        };
        responses: {
            /** @description The requested keys held, in the order they were sent. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        filtered_content_keys: string[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getCustomerContentMetadata: {
        parameters: {
            query?: {
                skip_customer_fetch?: string;
            };
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
                /** @description A content uuid, or a content key (course key, course-run key, program uuid). */
                identifier: components["parameters"]["ContentIdentifier"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The item. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContentMetadataItem"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    catalogContainsContentItemsV2: {
        parameters: {
            query?: {
                /** @description Course keys or course-run keys (repeat the parameter; `a,b` is one key). */
                course_run_ids?: components["parameters"]["CourseRunIds"];
                /** @description Program uuids (repeat the parameter); merged with `course_run_ids`. */
                program_uuids?: components["parameters"]["ProgramUuids"];
            };
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether any key matches. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContainsContentItems"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getCatalogContentMetadataV2: {
        parameters: {
            query?: {
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
                /** @description Only the content matching these keys (repeat the parameter); at most 100. */
                content_keys?: string[];
                /** @description Any non-empty value returns every item on one page. */
                traverse_pagination?: string;
            };
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of content (or all of it) and the catalog it belongs to. */
            200: {
                headers: {
                    ETag?: string;
                    "Last-Modified"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogContentPage"];
                };
            };
            /** @description The content has not changed since the `ETag` or date the client sent. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    customerContainsContentItemsV2: {
        parameters: {
            query?: {
                /** @description Course keys or course-run keys (repeat the parameter; `a,b` is one key). */
                course_run_ids?: components["parameters"]["CourseRunIds"];
                /** @description Program uuids (repeat the parameter); merged with `course_run_ids`. */
                program_uuids?: components["parameters"]["ProgramUuids"];
                get_catalog_list?: string;
                get_catalogs_containing_specified_content_ids?: string;
            };
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether any key matches, and with the flag which catalogs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContainsContentItems"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    customerFilterContentItemsV2: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    content_keys?: string[];
                    catalog_uuids?: components["schemas"]["Uuid"][];
                };
            };
        };
        responses: {
            /** @description The requested keys held, in the order they were sent. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        filtered_content_keys: string[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getCustomerContentMetadataV2: {
        parameters: {
            query?: {
                skip_customer_fetch?: string;
            };
            header?: never;
            path: {
                /** @description The enterprise customer's uuid (anything else answers 400 with the reference's text). */
                uuid: components["parameters"]["CustomerPathUuid"];
                /** @description A content uuid, or a content key (course key, course-run key, program uuid). */
                identifier: components["parameters"]["ContentIdentifier"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The item. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContentMetadataItem"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    listContentMetadata: {
        parameters: {
            query?: {
                /** @description Keys or uuids (repeat the parameter); at most 2,000. */
                content_identifiers?: string[];
                /** @description Any non-empty value returns a course run's course instead of the run. */
                coerce_to_parent_course?: components["parameters"]["CoerceToParentCourse"];
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of content. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PageLinks"] & {
                        results: components["schemas"]["ContentMetadataItem"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getContentMetadata: {
        parameters: {
            query?: {
                /** @description Any non-empty value returns a course run's course instead of the run. */
                coerce_to_parent_course?: components["parameters"]["CoerceToParentCourse"];
            };
            header?: never;
            path: {
                /** @description A content uuid, or a content key (course key, course-run key, program uuid). */
                identifier: components["parameters"]["ContentIdentifier"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The item. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContentMetadataItem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    distinctCatalogQueries: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    enterprise_catalog_uuids: components["schemas"]["Uuid"][];
                };
            };
        };
        responses: {
            /** @description The number of distinct queries and the catalogs of each. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        num_distinct_query_ids: number;
                        catalog_uuids_by_catalog_query_id: {
                            [key: string]: components["schemas"]["Uuid"][];
                        };
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    listCatalogQueries: {
        parameters: {
            query?: {
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of queries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NumberedPageLinks"] & {
                        results: components["schemas"]["CatalogQuery"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getCatalogQueryByHash: {
        parameters: {
            query: {
                /** @description md5 of the filter as Python's json.dumps(filter, sort_keys=True) writes it. */
                hash: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The query. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogQuery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getContentFilterHash: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContentFilter"];
                "application/x-www-form-urlencoded": components["schemas"]["ContentFilter"];
            };
        };
        responses: {
            /** @description The hash, as a bare JSON string. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContentFilterHash"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    postContentFilterHash: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContentFilter"];
                "application/x-www-form-urlencoded": components["schemas"]["ContentFilter"];
            };
        };
        responses: {
            /** @description The hash, as a bare JSON string. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContentFilterHash"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getCatalogQuery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The query's uuid. */
                uuid: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The query. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogQuery"] & {
                        /** @description The latest refresh attempts, newest first (added by this service). */
                        last_runs: components["schemas"]["RefreshRun"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    enrollLearnersInCourses: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid. */
                uuid: components["parameters"]["CustomerUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkEnrollmentRequest"];
            };
        };
        responses: {
            /** @description Every item is enrolled (already enrolled ones included). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkEnrollmentResult"];
                };
            };
            /** @description No failures, and at least one pending enrollment. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkEnrollmentResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description At least one failure, invalid user id or invalid email; the other items were recorded. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkEnrollmentResult"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    enrollLearnersInCoursesLegacy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The enterprise customer's uuid. */
                uuid: components["parameters"]["CustomerUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkEnrollmentRequest"];
            };
        };
        responses: {
            /** @description Every item is enrolled (already enrolled ones included). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkEnrollmentResult"];
                };
            };
            /** @description No failures, and at least one pending enrollment. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkEnrollmentResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description At least one failure, invalid user id or invalid email; the other items were recorded. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkEnrollmentResult"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    registerLearners: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LearnerRegistrationRequest"];
            };
        };
        responses: {
            /** @description What changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LearnerRegistration"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    listLegacyEnterpriseCatalogs: {
        parameters: {
            query?: {
                /** @description Only catalogs of this customer. */
                enterprise_customer?: components["schemas"]["Uuid"];
                /** @description Only the catalog with this uuid. */
                uuid?: components["schemas"]["Uuid"];
                /** @description Only catalogs with exactly this title. */
                title?: string;
                /** @description Only catalogs created at exactly this instant (ISO 8601). */
                created?: string;
                /** @description Only catalogs last changed at exactly this instant (ISO 8601). */
                modified?: string;
                /** @description The legacy integer query id; this service has none, so any value answers 400. */
                enterprise_catalog_query?: string;
                /**
                 * @description Comma-separated fields to order by, `-` for descending (`-modified,title`); unknown
                 *     fields are ignored, as DRF's OrderingFilter ignores them. Ties end in creation order.
                 */
                ordering?: string;
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of catalogs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NumberedPageLinks"] & {
                        results: components["schemas"]["LegacyCatalog"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getLegacyEnterpriseCatalog: {
        parameters: {
            query?: {
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
            };
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The catalog with a page of its content. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyCatalog"] & components["schemas"]["PageLinks"] & {
                        results: {
                            [key: string]: unknown;
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    legacyCatalogContainsContentItems: {
        parameters: {
            query?: {
                /** @description Course keys or course-run keys (repeat the parameter; `a,b` is one key). */
                course_run_ids?: components["parameters"]["CourseRunIds"];
                /** @description Program uuids (repeat the parameter); merged with `course_run_ids`. */
                program_uuids?: components["parameters"]["ProgramUuids"];
            };
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether every key is in the catalog. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyContainsContentItems"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    legacyCustomerContainsContentItems: {
        parameters: {
            query?: {
                /** @description Course keys or course-run keys (repeat the parameter; `a,b` is one key). */
                course_run_ids?: components["parameters"]["CourseRunIds"];
                /** @description Program uuids (repeat the parameter); merged with `course_run_ids`. */
                program_uuids?: components["parameters"]["ProgramUuids"];
            };
            header?: never;
            path: {
                /** @description The enterprise customer's uuid. */
                uuid: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether one catalog contains every key. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegacyContainsContentItems"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getLegacyCatalogCourse: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
                /** @description A course key such as `edX+DemoX`. */
                course_key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["LegacyItem"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getLegacyCatalogCourseRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
                /** @description A course run key such as `course-v1:edX+DemoX+2T2025`. */
                course_run_key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["LegacyItem"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getLegacyCatalogProgram: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The catalog's uuid. */
                uuid: components["parameters"]["CatalogUuid"];
                /** @description The program's uuid. */
                program_uuid: components["schemas"]["Uuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["LegacyItem"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    listEnterpriseCurations: {
        parameters: {
            query?: {
                /** @description Only this customer's; a customer the caller has no role in gives an empty page. */
                enterprise_customer?: components["parameters"]["EnterpriseCustomerFilter"];
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["CurationPage"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getEnterpriseCuration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The curation config's uuid. */
                uuid: components["parameters"]["CurationUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Curation"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    listEnterpriseCurationsAdmin: {
        parameters: {
            query?: {
                /** @description Only this customer's; a customer the caller has no role in gives an empty page. */
                enterprise_customer?: components["parameters"]["EnterpriseCustomerFilter"];
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["CurationPage"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    createEnterpriseCuration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnterpriseCurationCreate"];
            };
        };
        responses: {
            201: components["responses"]["Curation"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getEnterpriseCurationAdmin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The curation config's uuid. */
                uuid: components["parameters"]["CurationUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Curation"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    replaceEnterpriseCuration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The curation config's uuid. */
                uuid: components["parameters"]["CurationUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnterpriseCurationReplace"];
            };
        };
        responses: {
            200: components["responses"]["Curation"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    deleteEnterpriseCuration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The curation config's uuid. */
                uuid: components["parameters"]["CurationUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    updateEnterpriseCuration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The curation config's uuid. */
                uuid: components["parameters"]["CurationUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnterpriseCurationFields"];
            };
        };
        responses: {
            200: components["responses"]["Curation"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getEnterpriseCurationHistory: {
        parameters: {
            query?: {
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
            };
            header?: never;
            path: {
                /** @description The curation config's uuid. */
                uuid: components["parameters"]["CurationUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["HistoryPage"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    listHighlightSets: {
        parameters: {
            query?: {
                /** @description Only this customer's; a customer the caller has no role in gives an empty page. */
                enterprise_customer?: components["parameters"]["EnterpriseCustomerFilter"];
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["HighlightSetPage"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getHighlightSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["HighlightSet"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    listHighlightSetsAdmin: {
        parameters: {
            query?: {
                /** @description Only this customer's; a customer the caller has no role in gives an empty page. */
                enterprise_customer?: components["parameters"]["EnterpriseCustomerFilter"];
                /** @description Page number, from 1. A page past the end answers 404 "Invalid page.". */
                page?: components["parameters"]["Page"];
                /** @description Items per page (default 10); larger values are cut to the endpoint's maximum. */
                page_size?: components["parameters"]["PageSize"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["HighlightSetPage"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    createHighlightSet: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HighlightSetCreate"];
            };
        };
        responses: {
            /** @description The new set, with the keys it ignored. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HighlightSet"] & {
                        ignored_content_keys: components["schemas"]["RequestedContentKeys"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    getHighlightSetAdmin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["HighlightSet"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    replaceHighlightSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HighlightSetReplace"];
            };
        };
        responses: {
            200: components["responses"]["HighlightSet"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    deleteHighlightSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    updateHighlightSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HighlightSetFields"];
            };
        };
        responses: {
            200: components["responses"]["HighlightSet"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    addHighlightSetContent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContentKeysBody"];
            };
        };
        responses: {
            /** @description What became of each requested key, and the set as it is now. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ignored_content_keys: components["schemas"]["RequestedContentKeys"];
                        added_content_keys: string[];
                        existing_content_keys: string[];
                        highlight_set: components["schemas"]["HighlightSet"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    removeHighlightSetContent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContentKeysBody"];
            };
        };
        responses: {
            /** @description What became of each requested key, and the set as it is now. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        removed_content_keys: string[];
                        ignored_content_keys: components["schemas"]["RequestedContentKeys"];
                        highlight_set: components["schemas"]["HighlightSet"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    editHighlightSetTitle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    title?: string | null;
                };
            };
        };
        responses: {
            /** @description The new title. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        title: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
    toggleFavoriteHighlight: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The highlight set's uuid. */
                uuid: components["parameters"]["HighlightSetUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The highlighted content's uuid (its `uuid` in `highlighted_content`). */
                    content_uuid?: string | null;
                    /** @description True to favorite, false not to; the strings "true" and "false" (any case) too. */
                    favorite?: boolean | string | null;
                };
            };
        };
        responses: {
            /** @description Done; the body is empty. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            503: components["responses"]["DatabaseUnavailable"];
        };
    };
}
