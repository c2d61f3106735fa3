# The API module against the real OpenAPI document, with a mocked AWS provider (no credentials, no
# network). Run from terraform/: terraform test

mock_provider "aws" {
  override_during = plan

  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id            = "abc123"
      execution_arn = "arn:aws:execute-api:us-west-2:123456789012:abc123"
    }
  }

  mock_resource "aws_api_gateway_stage" {
    defaults = {
      invoke_url = "https://abc123.execute-api.us-west-2.amazonaws.com/dev"
      arn        = "arn:aws:apigateway:us-west-2::/restapis/abc123/stages/dev"
    }
  }

  mock_resource "aws_wafv2_web_acl" {
    defaults = {
      arn = "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/imagegen-dev-api-per-ip/1234"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/imagegen-dev-api-apigw-logs"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:us-west-2:123456789012:log-group:/aws/apigateway/imagegen-dev-api/dev/access"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  name                  = "imagegen-dev-api"
  openapi_template_path = "../shared/api/openapi.yaml"
  region                = "us-west-2"
  user_pool_arn         = "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_Example"
  cors_origin           = "https://main.d1example.amplifyapp.com"
  functions = {
    for name in ["generate", "generate-query", "models", "uploads", "edits", "history", "jobs"] : name => {
      arn           = "arn:aws:lambda:us-west-2:123456789012:function:imagegen-dev-${name}"
      function_name = "imagegen-dev-${name}"
    }
  }
}

run "public_generate_routes" {
  command = plan

  module {
    source = "./modules/api"
  }

  # GET /generate: non-proxy Lambda integration with a request template and a required prompt.
  assert {
    condition     = jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].get["x-amazon-apigateway-integration"].type == "aws"
    error_message = "GET /generate must use a non-proxy (aws) integration."
  }

  assert {
    condition     = strcontains(jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].get["x-amazon-apigateway-integration"].requestTemplates["application/json"], "$input.params('prompt')")
    error_message = "GET /generate must map the prompt query parameter in its request template."
  }

  assert {
    condition     = jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].get["x-amazon-apigateway-integration"].passthroughBehavior == "never"
    error_message = "GET /generate must not pass unmapped content types through."
  }

  assert {
    condition = anytrue([
      for parameter in jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].get.parameters :
      parameter.name == "prompt" && parameter["in"] == "query" && parameter.required
    ])
    error_message = "GET /generate must declare prompt as a required query parameter."
  }

  assert {
    condition = (
      jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].get["x-amazon-apigateway-request-validator"] == "params"
      && jsondecode(aws_api_gateway_rest_api.this.body)["x-amazon-apigateway-request-validators"].params.validateRequestParameters
    )
    error_message = "GET /generate must use a validator that checks request parameters."
  }

  assert {
    condition = (
      jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].get["x-amazon-apigateway-integration"].responses["default"].statusCode == "302"
      && jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].get["x-amazon-apigateway-integration"].responses["default"].responseParameters["method.response.header.Location"] == "integration.response.body.image_url"
    )
    error_message = "GET /generate must answer 302 with Location taken from the function's image_url."
  }

  assert {
    condition     = length([for pattern, response in jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].get["x-amazon-apigateway-integration"].responses : pattern if startswith(pattern, "^")]) >= 2
    error_message = "GET /generate needs integration responses that turn function errors into error statuses."
  }

  assert {
    condition     = strcontains(jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].get["x-amazon-apigateway-integration"].uri, "function:imagegen-dev-generate-query/invocations")
    error_message = "GET /generate must call the generate-query function."
  }

  # POST /generate: Lambda proxy to the generate function.
  assert {
    condition = (
      jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].post["x-amazon-apigateway-integration"].type == "aws_proxy"
      && jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].post["x-amazon-apigateway-integration"].uri == "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:imagegen-dev-generate/invocations"
    )
    error_message = "POST /generate must be an AWS_PROXY integration of the generate function's ARN."
  }

  assert {
    condition     = length(jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].post.security) == 0 && length(jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].get.security) == 0
    error_message = "With generate_auth = none the generate routes must be public."
  }

  # Editing routes sit behind the Cognito authorizer of this user pool.
  assert {
    condition = alltrue(flatten([
      for path, operations in jsondecode(aws_api_gateway_rest_api.this.body).paths : [
        for method, operation in operations : jsonencode(operation.security) == jsonencode([{ cognito = [] }])
        if !contains(["/generate", "/models"], path) && method != "options" && can(operation["x-amazon-apigateway-integration"])
      ]
    ]))
    error_message = "Every route except /generate, /models and CORS preflights must require the cognito authorizer."
  }

  # GET /models answers configuration only (no model call), so it stays open.
  assert {
    condition = (
      length(jsondecode(aws_api_gateway_rest_api.this.body).paths["/models"].get.security) == 0
      && jsondecode(aws_api_gateway_rest_api.this.body).paths["/models"].get["x-amazon-apigateway-integration"].type == "aws_proxy"
      && strcontains(jsondecode(aws_api_gateway_rest_api.this.body).paths["/models"].get["x-amazon-apigateway-integration"].uri, "function:imagegen-dev-models/invocations")
    )
    error_message = "GET /models must be a public Lambda proxy route to the models function."
  }

  assert {
    condition = (
      jsondecode(aws_api_gateway_rest_api.this.body).components.securitySchemes.cognito["x-amazon-apigateway-authorizer"].type == "cognito_user_pools"
      && jsondecode(aws_api_gateway_rest_api.this.body).components.securitySchemes.cognito["x-amazon-apigateway-authorizer"].providerARNs == [var.user_pool_arn]
    )
    error_message = "The cognito authorizer must point at the given user pool."
  }

  assert {
    condition     = alltrue([for key in keys(jsondecode(aws_api_gateway_rest_api.this.body).components) : !startswith(key, "x-")])
    error_message = "Template-only helper entries (components.x-*) must not reach API Gateway."
  }

  # CORS: preflights and gateway-made errors carry the SPA origin.
  assert {
    condition     = jsondecode(aws_api_gateway_rest_api.this.body).paths["/uploads"].options["x-amazon-apigateway-integration"].responses["default"].responseParameters["method.response.header.Access-Control-Allow-Origin"] == "'https://main.d1example.amplifyapp.com'"
    error_message = "CORS preflights must allow the SPA origin."
  }

  assert {
    condition = alltrue([
      for type in ["DEFAULT_4XX", "DEFAULT_5XX", "UNAUTHORIZED", "THROTTLED"] :
      jsondecode(aws_api_gateway_rest_api.this.body)["x-amazon-apigateway-gateway-responses"][type].responseParameters["gatewayresponse.header.Access-Control-Allow-Origin"] == "'https://main.d1example.amplifyapp.com'"
    ])
    error_message = "Gateway responses must carry the CORS origin header, or browsers hide 401/429/5xx."
  }

  # Redeploy whenever the body changes; the stage points at the new deployment.
  assert {
    condition     = aws_api_gateway_deployment.this.triggers.redeployment == sha1(aws_api_gateway_rest_api.this.body)
    error_message = "The deployment must be triggered by a hash of the OpenAPI body."
  }

  # One permission per route, scoped to this API's execution ARN and the route's method and path.
  assert {
    condition     = length(aws_lambda_permission.route) == 9
    error_message = "Expected one Lambda permission per function-backed route (9 in openapi.yaml)."
  }

  assert {
    condition = (
      aws_lambda_permission.route["DELETE /history/{id}"].source_arn == "arn:aws:execute-api:us-west-2:123456789012:abc123/*/DELETE/history/*"
      && aws_lambda_permission.route["DELETE /history/{id}"].function_name == "imagegen-dev-history"
      && aws_lambda_permission.route["GET /generate"].function_name == "imagegen-dev-generate-query"
      && aws_lambda_permission.route["POST /generate"].source_arn == "arn:aws:execute-api:us-west-2:123456789012:abc123/*/POST/generate"
    )
    error_message = "Lambda permissions must name the route's function and be scoped to its method and path."
  }

  assert {
    condition     = alltrue([for permission in aws_lambda_permission.route : startswith(permission.source_arn, "arn:aws:execute-api:us-west-2:123456789012:abc123/") && permission.principal == "apigateway.amazonaws.com"])
    error_message = "Every Lambda permission must be limited to this API."
  }

  # Stage: throttling, logging without request bodies, and no API key by default.
  assert {
    condition = (
      aws_api_gateway_method_settings.all.settings[0].throttling_rate_limit == 10
      && aws_api_gateway_method_settings.all.settings[0].throttling_burst_limit == 20
      && aws_api_gateway_method_settings.generate_post.settings[0].throttling_rate_limit == 2
      && aws_api_gateway_method_settings.generate_get.method_path == "generate/GET"
      && !aws_api_gateway_method_settings.all.settings[0].data_trace_enabled
    )
    error_message = "Stage throttling defaults or logging settings are wrong."
  }

  # Logging off by default: a stage with logs fails to create in a region without an account-level
  # CloudWatch role, and managing that account-wide role here would hurt other stacks.
  assert {
    condition = (
      aws_api_gateway_stage.this.stage_name == "dev"
      && length(aws_api_gateway_stage.this.access_log_settings) == 0
      && alltrue([for settings in [aws_api_gateway_method_settings.all, aws_api_gateway_method_settings.generate_post, aws_api_gateway_method_settings.generate_get] : settings.settings[0].logging_level == "OFF" && settings.settings[0].metrics_enabled])
    )
    error_message = "By default the stage must not log (no account CloudWatch role is assumed) but must keep metrics."
  }

  assert {
    condition     = aws_cloudwatch_log_group.execution.name == "API-Gateway-Execution-Logs_abc123/dev" && aws_cloudwatch_log_group.access.retention_in_days == 14
    error_message = "API log groups must be managed (with retention), including the execution log group API Gateway writes to."
  }

  assert {
    condition = (
      length(aws_api_gateway_account.this) == 0 && length(aws_iam_role.cloudwatch) == 0
      && length(aws_api_gateway_api_key.this) == 0 && length(aws_api_gateway_usage_plan.this) == 0
      && length(aws_wafv2_web_acl.this) == 0
    )
    error_message = "By default the module must leave the account-wide API Gateway settings alone and create no API key, usage plan or WAF."
  }

  # Partition: every integration URI is built from var.partition (default aws).
  assert {
    condition = alltrue(flatten([
      for path, operations in jsondecode(aws_api_gateway_rest_api.this.body).paths : [
        for method, operation in operations : startswith(operation["x-amazon-apigateway-integration"].uri, "arn:aws:apigateway:us-west-2:lambda:path/")
        if can(operation["x-amazon-apigateway-integration"].uri)
      ]
    ]))
    error_message = "Lambda integration URIs must be arn:<partition>:apigateway:<region>:lambda:path/..."
  }
}

run "logging_with_the_accounts_existing_role" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    logging = "existing-role"
  }

  assert {
    condition = (
      jsondecode(aws_api_gateway_stage.this.access_log_settings[0].format).status == "$context.status"
      && aws_api_gateway_stage.this.access_log_settings[0].destination_arn == "arn:aws:logs:us-west-2:123456789012:log-group:/aws/apigateway/imagegen-dev-api/dev/access"
      && aws_api_gateway_method_settings.all.settings[0].logging_level == "ERROR"
      && aws_api_gateway_method_settings.generate_get.settings[0].logging_level == "ERROR"
      && !aws_api_gateway_method_settings.all.settings[0].data_trace_enabled
    )
    error_message = "existing-role must turn on JSON access logs and ERROR execution logs, without request bodies."
  }

  assert {
    condition     = length(aws_api_gateway_account.this) == 0 && length(aws_iam_role.cloudwatch) == 0
    error_message = "existing-role must not touch the account-wide API Gateway settings."
  }
}

run "logging_with_a_role_of_its_own" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    logging   = "create-role"
    partition = "aws-us-gov"
    region    = "us-gov-west-1"
  }

  assert {
    condition = (
      length(aws_api_gateway_account.this) == 1
      && aws_api_gateway_account.this[0].cloudwatch_role_arn == "arn:aws:iam::123456789012:role/imagegen-dev-api-apigw-logs"
      && aws_iam_role_policy_attachment.cloudwatch[0].policy_arn == "arn:aws-us-gov:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
      && length(aws_api_gateway_stage.this.access_log_settings) == 1
    )
    error_message = "create-role must create the role (partition-aware policy ARN), set it for the account, and log."
  }

  assert {
    condition = alltrue(flatten([
      for path, operations in jsondecode(aws_api_gateway_rest_api.this.body).paths : [
        for method, operation in operations : startswith(operation["x-amazon-apigateway-integration"].uri, "arn:aws-us-gov:apigateway:us-gov-west-1:lambda:path/")
        if can(operation["x-amazon-apigateway-integration"].uri)
      ]
    ]))
    error_message = "In the aws-us-gov partition every integration URI must start with arn:aws-us-gov:apigateway:."
  }
}

run "per_ip_rate_limit" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    waf_rate_limit_per_5_minutes = 300
  }

  assert {
    condition = (
      aws_wafv2_web_acl.this[0].scope == "REGIONAL"
      && one(aws_wafv2_web_acl.this[0].rule).statement[0].rate_based_statement[0].limit == 300
      && one(aws_wafv2_web_acl.this[0].rule).statement[0].rate_based_statement[0].aggregate_key_type == "IP"
      && one(aws_wafv2_web_acl.this[0].rule).statement[0].rate_based_statement[0].evaluation_window_sec == 300
      && length(one(aws_wafv2_web_acl.this[0].rule).action[0].block) == 1
    )
    error_message = "The WAF rule must block each IP above the limit per 5-minute window."
  }

  assert {
    condition     = aws_wafv2_web_acl_association.stage[0].resource_arn == "arn:aws:apigateway:us-west-2::/restapis/abc123/stages/dev"
    error_message = "The web ACL must be associated with the API stage."
  }
}

run "rejects_waf_limit_below_minimum" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    waf_rate_limit_per_5_minutes = 5
  }

  expect_failures = [var.waf_rate_limit_per_5_minutes]
}

run "rejects_unknown_logging_mode" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    logging = "on"
  }

  expect_failures = [var.logging]
}

run "generate_behind_cognito" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    generate_auth = "cognito"
  }

  assert {
    condition     = jsonencode(jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].post.security) == jsonencode([{ cognito = [] }])
    error_message = "generate_auth = cognito must put POST /generate behind the authorizer."
  }

  assert {
    condition     = length(aws_api_gateway_api_key.this) == 0
    error_message = "No API key without generate_auth = api_key."
  }
}

run "generate_behind_api_key" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    generate_auth = "api_key"
  }

  assert {
    condition     = jsonencode(jsondecode(aws_api_gateway_rest_api.this.body).paths["/generate"].get.security) == jsonencode([{ api_key = [] }])
    error_message = "generate_auth = api_key must require the API key on GET /generate."
  }

  assert {
    condition = (
      length(aws_api_gateway_api_key.this) == 1
      && one(aws_api_gateway_usage_plan.this[0].quota_settings).limit == 500
      && one(aws_api_gateway_usage_plan.this[0].api_stages).stage == "dev"
      && length(aws_api_gateway_usage_plan_key.this) == 1
    )
    error_message = "generate_auth = api_key must create a key, a usage plan on the stage, and link them."
  }
}

run "rejects_unknown_generate_auth" {
  command = plan

  module {
    source = "./modules/api"
  }

  variables {
    generate_auth = "basic"
  }

  expect_failures = [var.generate_auth]
}
