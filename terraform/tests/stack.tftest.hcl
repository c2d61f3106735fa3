# The root module as `terraform apply -var-file=dev.tfvars` would plan it, with a mocked AWS
# provider and placeholder packages (tests/fixtures/packages) instead of `npm run build` output.
# Run from terraform/: terraform test

mock_provider "aws" {
  override_during = plan

  mock_resource "aws_cognito_user_pool" {
    defaults = {
      id  = "us-west-2_Example"
      arn = "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_Example"
    }
  }

  mock_resource "aws_cognito_user_pool_client" {
    defaults = {
      id = "3example4client5id"
    }
  }

  mock_resource "aws_amplify_app" {
    defaults = {
      id             = "d1example"
      default_domain = "d1example.amplifyapp.com"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      id  = "imagegen-dev-images-20260101000000000000000001"
      arn = "arn:aws:s3:::imagegen-dev-images-20260101000000000000000001"
    }
  }

  mock_resource "aws_dynamodb_table" {
    defaults = {
      arn = "arn:aws:dynamodb:us-west-2:123456789012:table/imagegen-dev-records"
    }
  }

  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:us-west-2:123456789012:function:imagegen-dev-mock"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/imagegen-dev-mock-role"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:us-west-2:123456789012:log-group:mock"
    }
  }

  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id            = "abc123"
      execution_arn = "arn:aws:execute-api:us-west-2:123456789012:abc123"
    }
  }

  mock_resource "aws_api_gateway_stage" {
    defaults = {
      invoke_url = "https://abc123.execute-api.us-west-2.amazonaws.com/dev"
    }
  }

  mock_resource "aws_api_gateway_api_key" {
    defaults = {
      id = "key123"
    }
  }

  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:us-west-2:123456789012:imagegen-dev-alarms"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  # An account with Lambda's default regional quota.
  mock_data "aws_servicequotas_service_quota" {
    defaults = {
      value = 1000
    }
  }
}

variables {
  functions_dist_dir = "./tests/fixtures/packages"
}

run "dev_stack" {
  command = plan

  # No variables: the defaults are what dev.tfvars sets (the offline plan in
  # scripts/ci/terraform-check.sh runs with dev.tfvars itself).

  # Bedrock: exact ARNs only, never a wildcard model, and the dual ARN for inference profiles.
  assert {
    condition     = alltrue([for arn in local.bedrock_model_arns : !strcontains(split("/", arn)[1], "*") && !endswith(arn, "/")])
    error_message = "No Bedrock permission may use a wildcard model id."
  }

  # Regions: exactly where shared/models/model-regions.json (the file the code routes calls with)
  # says each model is served; no wildcard Region.
  assert {
    condition = alltrue([
      for arn in local.bedrock_model_arns : contains(
        strcontains(arn, ":inference-profile/")
        # A profile ARN: the Regions the file lists for that profile's geography.
        ? jsondecode(file("../shared/models/model-regions.json")).models[regex("^[a-z-]+\\.(.+)$", split("/", arn)[1])[0]].profiles[split(".", split("/", arn)[1])[0]]
        # A foundation-model ARN: the model's Regions, or those of its profiles.
        : concat(
          jsondecode(file("../shared/models/model-regions.json")).models[split("/", arn)[1]].regions,
          try(flatten(values(jsondecode(file("../shared/models/model-regions.json")).models[split("/", arn)[1]].profiles)), []),
        ),
        split(":", arn)[3],
      )
    ])
    error_message = "Every Bedrock ARN must be in a Region model-regions.json lists for that model (and profile geography)."
  }

  assert {
    condition = (
      # Stability's text-to-image models only in us-west-2; Titan where it is served.
      [for arn in local.bedrock_model_arns : arn if endswith(arn, "/stability.stable-image-core-v1:1")] == ["arn:aws:bedrock:us-west-2::foundation-model/stability.stable-image-core-v1:1"]
      && [for arn in local.bedrock_model_arns : arn if endswith(arn, "/amazon.titan-image-generator-v2:0")] == [
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-image-generator-v2:0",
        "arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-image-generator-v2:0",
      ]
      # A us. profile: the profile and its base model in the US Regions the file lists.
      && [for arn in local.bedrock_model_arns : arn if strcontains(arn, "stability.stable-image-inpaint-v1:0")] == [
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.stability.stable-image-inpaint-v1:0",
        "arn:aws:bedrock:us-east-1::foundation-model/stability.stable-image-inpaint-v1:0",
        "arn:aws:bedrock:us-east-2:123456789012:inference-profile/us.stability.stable-image-inpaint-v1:0",
        "arn:aws:bedrock:us-east-2::foundation-model/stability.stable-image-inpaint-v1:0",
        "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.stability.stable-image-inpaint-v1:0",
        "arn:aws:bedrock:us-west-2::foundation-model/stability.stable-image-inpaint-v1:0",
      ]
      && contains(local.bedrock_model_arns, "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.stability.stable-fast-upscale-v1:0")
      && length(local.bedrock_model_arns) == 83
    )
    error_message = "Expected 3 Stability text-to-image ARNs in us-west-2, 2 Titan ARNs, and 6 ARNs (3 US Regions) for each of the 13 Stability image-service inference profiles."
  }

  assert {
    condition = alltrue([
      for key, document in data.aws_iam_policy_document.function : alltrue([
        for statement in document.statement : !contains(statement.actions, "bedrock:*") && !contains(statement.resources, "*")
      ])
    ])
    error_message = "Function policies must not use bedrock:* or a bare * resource."
  }

  assert {
    condition = (
      [for statement in data.aws_iam_policy_document.function["generate"].statement : statement.resources if statement.sid == "InvokeAllowedModels"][0] == toset(local.bedrock_model_arns)
      && length([for statement in data.aws_iam_policy_document.function["uploads"].statement : statement if statement.sid == "InvokeAllowedModels"]) == 0
    )
    error_message = "Only functions that call Bedrock may invoke models, and only the allowed ones."
  }

  # S3 and DynamoDB: this stack's bucket prefixes and table only.
  assert {
    condition = alltrue(flatten([
      for key, document in data.aws_iam_policy_document.function : [
        for statement in document.statement : [
          for resource in statement.resources :
          startswith(resource, "arn:aws:s3:::imagegen-dev-images-20260101000000000000000001/users/")
          || startswith(resource, "arn:aws:s3:::imagegen-dev-images-20260101000000000000000001/generated/")
        ] if startswith(statement.sid, "ReadImages") || startswith(statement.sid, "WriteImages") || startswith(statement.sid, "DeleteImages")
      ]
    ]))
    error_message = "S3 permissions must stay on the users/ and generated/ prefixes of this stack's bucket."
  }

  assert {
    condition = (
      [for statement in data.aws_iam_policy_document.function["history"].statement : statement.resources if statement.sid == "ListRecordsByUser"][0] == toset(["arn:aws:dynamodb:us-west-2:123456789012:table/imagegen-dev-records/index/byUser"])
      && [for statement in data.aws_iam_policy_document.function["jobs"].statement : statement.resources if statement.sid == "StartJobWorker"][0] == toset(["arn:aws:lambda:us-west-2:123456789012:function:imagegen-dev-job-worker"])
    )
    error_message = "history may query the byUser index; jobs may invoke exactly the job worker."
  }

  # Function configuration the code relies on.
  assert {
    condition = (
      local.function_environment["jobs"].JOB_WORKER_FUNCTION == "imagegen-dev-job-worker"
      && !contains(keys(local.function_environment["generate"]), "JOB_WORKER_FUNCTION")
      && local.function_environment["generate"].BEDROCK_TIMEOUT_MS == "25000"
      && local.function_environment["job-worker"].BEDROCK_TIMEOUT_MS == "600000"
      && local.function_environment["edits"].CORS_ORIGIN == "https://main.d1example.amplifyapp.com"
      && local.function_environment["generate"].AWS_REQUEST_CHECKSUM_CALCULATION == "WHEN_REQUIRED"
      && local.function_environment["generate"].LOG_PROMPTS == "false"
      && jsondecode(local.function_environment["edits"].EDIT_MODELS)["remove-background"] == "us.stability.stable-image-remove-background-v1:0"
      && local.function_environment["generate"].BEDROCK_REGION == "us-west-2"
    )
    error_message = "Function environment variables are not wired as the code expects."
  }

  # shared/deployment/functions.json is what the local stack reads: it must describe these functions
  # and these defaults, or the local stack would run them with other settings than AWS.
  assert {
    condition = (
      toset(keys(local.functions)) == toset(keys(local.function_definitions.functions))
      && alltrue([for key, fn in local.functions : fn.api == local.function_definitions.functions[key].api])
      && local.function_environment["jobs"].JOB_WORKER_TIMEOUT_SECONDS == "900"
      && local.function_environment["job-worker"].POWERTOOLS_SERVICE_NAME == "job-worker"
      && var.api_function_timeout_seconds == local.function_definitions.defaults.api_function_timeout_seconds
      && var.api_bedrock_timeout_ms == local.function_definitions.defaults.api_bedrock_timeout_ms
      && var.job_worker_timeout_seconds == local.function_definitions.defaults.job_worker_timeout_seconds
      && var.job_worker_bedrock_timeout_ms == local.function_definitions.defaults.job_worker_bedrock_timeout_ms
      && var.function_memory_mb == local.function_definitions.defaults.function_memory_mb
      && var.url_expiry_seconds == local.function_definitions.defaults.url_expiry_seconds
      && var.max_upload_bytes == local.function_definitions.defaults.max_upload_bytes
      && var.log_prompts == local.function_definitions.defaults.log_prompts
      && var.metrics_namespace == local.function_definitions.defaults.metrics_namespace
    )
    error_message = "shared/deployment/functions.json must list exactly the functions of local.functions (same api flag) and the variables' defaults."
  }

  # Outputs the deploy scripts and the SPA read.
  assert {
    condition = (
      output.config_js == "window.APP_CONFIG = {\"invokeUrl\":\"https://abc123.execute-api.us-west-2.amazonaws.com/dev\",\"region\":\"us-west-2\",\"userPoolClientId\":\"3example4client5id\",\"userPoolId\":\"us-west-2_Example\"};\n"
    )
    error_message = "config_js must assign the SPA's settings to window.APP_CONFIG."
  }

  assert {
    condition     = output.example_get_url == "https://abc123.execute-api.us-west-2.amazonaws.com/dev/generate?prompt=a+lighthouse+at+dusk%2C+watercolor"
    error_message = "example_get_url must call GET /generate with a URL-encoded prompt."
  }

  assert {
    condition     = output.web_url == "https://main.d1example.amplifyapp.com" && output.amplify_app_id == "d1example" && output.amplify_branch == "main"
    error_message = "The web outputs must describe the Amplify main branch."
  }

  assert {
    condition     = length(output.function_names) == 8 && output.function_names["job-worker"] == "imagegen-dev-job-worker"
    error_message = "function_names must list all eight functions."
  }

  assert {
    condition = (
      output.api_routes["GET /generate"] == "generate-query" && output.api_routes["POST /generate"] == "generate"
      && output.api_routes["GET /jobs/{id}"] == "jobs" && !contains(values(output.api_routes), "job-worker")
    )
    error_message = "API routes must reach the functions named in openapi.yaml, and job-worker none."
  }

  assert {
    condition     = output.api_key_id == null && output.alarm_topic_arn == null
    error_message = "dev.tfvars creates neither an API key nor an alarm topic."
  }

  # Browser policy (shared/web/browser-policy.json): the CSP names the API by Region, the bucket and
  # Cognito exactly; the bucket's CORS allows GET and POST only.
  assert {
    condition = (
      strcontains(output.web_security_headers["Content-Security-Policy"], "connect-src 'self' https://*.execute-api.us-west-2.amazonaws.com https://imagegen-dev-images-20260101000000000000000001.s3.us-west-2.amazonaws.com https://cognito-idp.us-west-2.amazonaws.com;")
      && strcontains(output.web_security_headers["Content-Security-Policy"], "img-src 'self' data: blob: https://imagegen-dev-images-20260101000000000000000001.s3.us-west-2.amazonaws.com;")
      && strcontains(output.web_security_headers["Content-Security-Policy"], "frame-ancestors 'none'")
      && startswith(output.web_security_headers["Strict-Transport-Security"], "max-age=")
      && output.web_security_headers["X-Content-Type-Options"] == "nosniff"
      && output.web_security_headers["Referrer-Policy"] == "no-referrer"
      && local.browser_policy.storage_cors.allowed_methods == ["GET", "POST"]
    )
    error_message = "The SPA's CSP must allow exactly the API (by Region), bucket and Cognito origins, with HSTS, nosniff and no referrer; bucket CORS GET and POST only."
  }

  # Account-wide settings stay untouched by default; the stage does not log without a known role.
  assert {
    condition     = output.api_gateway_logging == "off" && output.waf_web_acl_arn == null
    error_message = "By default the stack must not manage API Gateway's account-wide CloudWatch role (nor log without one), and creates no WAF."
  }

  # Concurrency: with the default quota (1000) the 900 s worker is capped; nothing else is reserved.
  assert {
    condition = (
      output.job_worker_reserved_concurrency == 2
      && length(data.aws_servicequotas_service_quota.lambda_concurrency) == 1
      && data.aws_servicequotas_service_quota.lambda_concurrency[0].quota_code == "L-B99A9384"
      && length([for key, value in local.reserved_concurrency : key if value != null]) == 1
    )
    error_message = "The job worker must be capped at job_worker_max_concurrency when the account's quota allows it, and only the worker."
  }

  # npm run ready -- --target aws reads the models the functions may call from this output.
  assert {
    condition = (
      output.models.region == "us-west-2" && output.models.default == "stability.stable-image-core-v1:1"
      && contains(output.models.allowed, output.models.default)
      && output.models.edit["inpaint"] == "us.stability.stable-image-inpaint-v1:0"
    )
    error_message = "The models output must carry the Bedrock region, default_model, allowed_models and edit_models."
  }
}

run "new_account_with_ten_concurrent_executions" {
  command = plan

  variables {
    lambda_concurrency_quota = 10
  }

  # Lambda would refuse any reservation (it keeps 100 unreserved): no cap, a warning, and no lookup.
  assert {
    condition     = output.job_worker_reserved_concurrency == null && length(data.aws_servicequotas_service_quota.lambda_concurrency) == 0
    error_message = "With a quota of 10 the worker must stay unreserved, so the first apply works."
  }

  expect_failures = [check.job_worker_concurrency_cap]
}

run "quota_just_large_enough" {
  command = plan

  variables {
    lambda_concurrency_quota      = 105
    function_reserved_concurrency = { generate = 3 }
  }

  assert {
    condition     = output.job_worker_reserved_concurrency == 2 && local.reserved_concurrency["generate"] == 3
    error_message = "105 - 3 - 2 leaves exactly 100 unreserved: the cap applies."
  }
}

run "quota_one_short" {
  command = plan

  variables {
    lambda_concurrency_quota      = 104
    function_reserved_concurrency = { generate = 3 }
  }

  assert {
    condition     = output.job_worker_reserved_concurrency == null
    error_message = "104 - 3 - 2 would leave 99 unreserved, which Lambda refuses: no cap."
  }

  expect_failures = [check.job_worker_concurrency_cap]
}

run "explicit_worker_reservation_wins" {
  command = plan

  variables {
    job_worker_max_concurrency    = null
    function_reserved_concurrency = { job-worker = 0 }
  }

  assert {
    condition     = output.job_worker_reserved_concurrency == 0 && length(data.aws_servicequotas_service_quota.lambda_concurrency) == 0
    error_message = "function_reserved_concurrency[job-worker] must be used as given."
  }
}

run "api_key_and_alarm_email" {
  command = plan

  variables {
    generate_auth      = "api_key"
    alarm_email        = "ops@example.com"
    initial_user_email = "admin@example.com"
  }

  assert {
    condition     = output.api_key_id == "key123" && output.alarm_topic_arn == "arn:aws:sns:us-west-2:123456789012:imagegen-dev-alarms"
    error_message = "generate_auth = api_key must create a key, and alarm_email a topic."
  }
}

run "eu_region_calls_models_where_they_are_served" {
  command = plan

  variables {
    region         = "eu-central-1"
    default_model  = "stability.sd3-5-large-v1:0"
    allowed_models = ["stability.sd3-5-large-v1:0", "amazon.nova-canvas-v1:0", "eu.stability.stable-image-inpaint-v1:0", "us.stability.stable-image-erase-object-v1:0"]
    edit_models    = { inpaint = "eu.stability.stable-image-inpaint-v1:0", erase = "us.stability.stable-image-erase-object-v1:0" }
  }

  assert {
    condition = (
      # SD3.5 in us-west-2 and Nova Canvas in its three Regions, not in the stack's eu-central-1.
      contains(local.bedrock_model_arns, "arn:aws:bedrock:us-west-2::foundation-model/stability.sd3-5-large-v1:0")
      && !contains(local.bedrock_model_arns, "arn:aws:bedrock:eu-central-1::foundation-model/stability.sd3-5-large-v1:0")
      && length([for arn in local.bedrock_model_arns : arn if endswith(arn, "/amazon.nova-canvas-v1:0")]) == 3
      # A us. profile is called from a US Region even from Europe.
      && contains(local.bedrock_model_arns, "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.stability.stable-image-erase-object-v1:0")
      # A geography the file lists nothing for stays in the Bedrock region.
      && contains(local.bedrock_model_arns, "arn:aws:bedrock:eu-central-1:123456789012:inference-profile/eu.stability.stable-image-inpaint-v1:0")
      && contains(local.bedrock_model_arns, "arn:aws:bedrock:eu-central-1::foundation-model/stability.stable-image-inpaint-v1:0")
    )
    error_message = "Model ARNs must be in the Regions the models are called in."
  }
}

run "rejects_wildcard_model" {
  command = plan

  variables {
    allowed_models = ["stability.*"]
    default_model  = "stability.*"
  }

  expect_failures = [var.allowed_models]
}

run "rejects_default_model_outside_allowed" {
  command = plan

  variables {
    default_model = "amazon.nova-canvas-v1:0"
  }

  expect_failures = [var.default_model]
}

run "accepts_default_us_profiles_in_eu_region" {
  command = plan

  variables {
    region = "eu-west-1"
  }

  assert {
    condition     = alltrue([for arn in local.bedrock_model_arns : !startswith(arn, "arn:aws:bedrock:eu-west-1:")])
    error_message = "From eu-west-1 the default models (Stability in us-west-2, us. profiles, Titan) must all be called in US Regions."
  }
}

run "rejects_us_profile_without_regions_in_eu_region" {
  command = plan

  variables {
    region         = "eu-west-1"
    default_model  = "stability.stable-image-core-v1:1"
    allowed_models = ["stability.stable-image-core-v1:1", "us.amazon.titan-image-generator-v2:0"]
  }

  expect_failures = [var.allowed_models]
}

run "rejects_api_timeout_above_gateway_limit" {
  command = plan

  variables {
    api_function_timeout_seconds = 30
  }

  expect_failures = [var.api_function_timeout_seconds]
}

run "rejects_bedrock_timeout_beyond_function_timeout" {
  command = plan

  variables {
    api_function_timeout_seconds = 20
  }

  expect_failures = [var.api_bedrock_timeout_ms]
}
