locals {
  # Fills the template's public_security placeholder: the security requirement of the generate routes.
  public_security = {
    none    = "[]"
    cognito = jsonencode([{ cognito = [] }])
    api_key = jsonencode([{ api_key = [] }])
  }[var.generate_auth]

  # Template placeholder per function: invoke_arn_<key>, dashes become underscores. The template puts
  # it inside arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<here>/invocations,
  # so it receives the function ARN, not the function's invoke_arn attribute.
  placeholder_names = { for key in keys(var.functions) : key => "invoke_arn_${replace(key, "-", "_")}" }

  # Route discovery: render the template once more with a marker instead of each function ARN and with
  # fixed values elsewhere, so the routes (and the Lambda permissions they need) are known at plan time
  # even before the functions exist. The OpenAPI document stays the only list of routes.
  route_probe = yamldecode(templatefile(var.openapi_template_path, merge(
    {
      partition       = "partition"
      region          = "region"
      user_pool_arn   = "user-pool-arn"
      cors_origin     = "*"
      public_security = "[]"
    },
    { for key, placeholder in local.placeholder_names : placeholder => "function:${key}" },
  )))
  function_marker_pattern = "/functions/function:([^/]+)/invocations$"

  # "POST /generate" => { method = "POST", path = "/generate", function = "generate" }, for every
  # operation whose integration calls one of the functions (CORS preflights are MOCK and skipped).
  routes = merge([
    for path, operations in local.route_probe.paths : {
      for method, operation in operations : "${upper(method)} ${path}" => {
        method   = upper(method)
        path     = path
        function = regex(local.function_marker_pattern, operation["x-amazon-apigateway-integration"].uri)[0]
      } if can(regex(local.function_marker_pattern, operation["x-amazon-apigateway-integration"].uri))
    }
  ]...)

  openapi = yamldecode(templatefile(var.openapi_template_path, merge(
    {
      partition       = var.partition
      region          = var.region
      user_pool_arn   = var.user_pool_arn
      cors_origin     = var.cors_origin
      public_security = local.public_security
    },
    { for key, placeholder in local.placeholder_names : placeholder => var.functions[key].arn },
  )))

  # components.x-* entries only hold YAML anchors for the template's own reuse; API Gateway gets the
  # expanded operations and none of the helper entries.
  body = jsonencode(merge(local.openapi, {
    components = { for key, value in local.openapi.components : key => value if !startswith(key, "x-") }
  }))

  # Stage logs need a CloudWatch role in the account's API Gateway settings (see var.logging).
  logging_enabled         = var.logging != "off"
  execution_logging_level = local.logging_enabled ? "ERROR" : "OFF"

  access_log_format = jsonencode({
    requestId          = "$context.requestId"
    extendedRequestId  = "$context.extendedRequestId"
    requestTime        = "$context.requestTime"
    sourceIp           = "$context.identity.sourceIp"
    userAgent          = "$context.identity.userAgent"
    httpMethod         = "$context.httpMethod"
    resourcePath       = "$context.resourcePath"
    status             = "$context.status"
    protocol           = "$context.protocol"
    responseLength     = "$context.responseLength"
    responseLatency    = "$context.responseLatency"
    integrationStatus  = "$context.integration.status"
    integrationLatency = "$context.integration.latency"
    integrationError   = "$context.integration.error"
    errorMessage       = "$context.error.message"
    errorResponseType  = "$context.error.responseType"
    authorizerError    = "$context.authorizer.error"
    userSub            = "$context.authorizer.claims.sub"
    apiKeyId           = "$context.identity.apiKeyId"
  })
}

##################################################################
# REST API from the OpenAPI document
##################################################################

resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = "Image generation and editing with Amazon Bedrock (from shared/api/openapi.yaml)."
  body        = local.body

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

# A deployment is an immutable snapshot: a new one is needed whenever the API changes, and every
# route, authorizer, validator and gateway response is in the body, so its hash is the trigger.
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_deployment
resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  description = "Snapshot of the OpenAPI body; replaced when the body changes."

  triggers = {
    redeployment = sha1(aws_api_gateway_rest_api.this.body)
  }

  # The stage points at the old deployment until the new one exists; deleting first would fail
  # with "Active stages pointing to this deployment must be moved or deleted".
  lifecycle {
    create_before_destroy = true
  }
}

##################################################################
# Lambda permissions, one per route
##################################################################

resource "aws_lambda_permission" "route" {
  for_each = local.routes

  statement_id  = "apigateway-${lower(each.value.method)}-${join("-", regexall("[A-Za-z0-9]+", each.value.path))}"
  action        = "lambda:InvokeFunction"
  function_name = var.functions[each.value.function].function_name
  principal     = "apigateway.amazonaws.com"
  # <execution arn>/<stage>/<METHOD>/<path>, path parameters as wildcards; any stage, so the
  # console's test button works too.
  source_arn = "${aws_api_gateway_rest_api.this.execution_arn}/*/${each.value.method}${replace(each.value.path, "/\\{[^}]+\\}/", "*")}"
}

##################################################################
# Account-level CloudWatch role (one per account and region), logging = "create-role" only
##################################################################

data "aws_iam_policy_document" "apigateway_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cloudwatch" {
  count = var.logging == "create-role" ? 1 : 0

  name               = "${var.name}-apigw-logs"
  description        = "Lets API Gateway write execution and access logs in this account and region."
  assume_role_policy = data.aws_iam_policy_document.apigateway_assume_role.json
}

resource "aws_iam_role_policy_attachment" "cloudwatch" {
  count = var.logging == "create-role" ? 1 : 0

  role       = aws_iam_role.cloudwatch[0].name
  policy_arn = "arn:${var.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

# Account-wide per region. Not managed by default: it replaces whatever role another stack set, and
# with AWS provider 6.x destroying it resets the account settings (reset_on_delete was removed), which
# turns off logging for every REST API in the region.
resource "aws_api_gateway_account" "this" {
  count = var.logging == "create-role" ? 1 : 0

  cloudwatch_role_arn = aws_iam_role.cloudwatch[0].arn

  depends_on = [aws_iam_role_policy_attachment.cloudwatch]
}

##################################################################
# Stage, logs and throttling
##################################################################

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}/${var.stage_name}/access"
  retention_in_days = var.log_retention_days
}

# API Gateway writes execution logs to this fixed name; created here so it has a retention and
# terraform destroy removes it.
resource "aws_cloudwatch_log_group" "execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.this.id}/${var.stage_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_api_gateway_stage" "this" {
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.stage_name
  xray_tracing_enabled = var.enable_xray

  # Access logs need the account's CloudWatch role: without one, creating the stage fails.
  dynamic "access_log_settings" {
    for_each = local.logging_enabled ? [1] : []

    content {
      destination_arn = aws_cloudwatch_log_group.access.arn
      format          = local.access_log_format
    }
  }

  depends_on = [aws_api_gateway_account.this, aws_cloudwatch_log_group.execution]
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = local.execution_logging_level
    data_trace_enabled     = false # full request logs would hold prompts and tokens
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
  }
}

# Stricter limits on the paid generate routes. The two settings resources update the same stage, so
# they run one after the other (parallel UpdateStage calls can fail with ConflictException).
resource "aws_api_gateway_method_settings" "generate_post" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "generate/POST"

  settings {
    metrics_enabled        = true
    logging_level          = local.execution_logging_level
    data_trace_enabled     = false
    throttling_rate_limit  = var.generate_throttling_rate_limit
    throttling_burst_limit = var.generate_throttling_burst_limit
  }

  depends_on = [aws_api_gateway_method_settings.all]
}

resource "aws_api_gateway_method_settings" "generate_get" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "generate/GET"

  settings {
    metrics_enabled        = true
    logging_level          = local.execution_logging_level
    data_trace_enabled     = false
    throttling_rate_limit  = var.generate_throttling_rate_limit
    throttling_burst_limit = var.generate_throttling_burst_limit
  }

  depends_on = [aws_api_gateway_method_settings.generate_post]
}

##################################################################
# API key and usage plan (generate_auth = api_key only)
##################################################################

resource "aws_api_gateway_api_key" "this" {
  count = var.generate_auth == "api_key" ? 1 : 0

  name        = "${var.name}-generate"
  description = "Key for the generate routes, sent as X-Api-Key."
  enabled     = true
}

resource "aws_api_gateway_usage_plan" "this" {
  count = var.generate_auth == "api_key" ? 1 : 0

  name        = "${var.name}-generate"
  description = "Throttle and daily quota for holders of the generate API key."

  api_stages {
    api_id = aws_api_gateway_rest_api.this.id
    stage  = aws_api_gateway_stage.this.stage_name
  }

  throttle_settings {
    rate_limit  = var.generate_throttling_rate_limit
    burst_limit = var.generate_throttling_burst_limit
  }

  quota_settings {
    limit  = var.api_key_quota_per_day
    period = "DAY"
  }
}

resource "aws_api_gateway_usage_plan_key" "this" {
  count = var.generate_auth == "api_key" ? 1 : 0

  key_id        = aws_api_gateway_api_key.this[0].id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.this[0].id
}

##################################################################
# Optional per-IP rate limit (AWS WAF), waf_rate_limit_per_5_minutes only
##################################################################

# Stage throttling caps the whole API; this caps each client IP, so one caller cannot use up the
# stage's budget (and the paid generate routes) alone. WAF answers 403 to a blocked IP.
resource "aws_wafv2_web_acl" "this" {
  count = var.waf_rate_limit_per_5_minutes == null ? 0 : 1

  name        = "${var.name}-per-ip"
  description = "Blocks IPs that send more than ${coalesce(var.waf_rate_limit_per_5_minutes, 0)} requests in 5 minutes to ${var.name}."
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "per-ip-rate-limit"
    priority = 1

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.waf_rate_limit_per_5_minutes
        aggregate_key_type    = "IP"
        evaluation_window_sec = 300
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-per-ip-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-per-ip"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "stage" {
  count = var.waf_rate_limit_per_5_minutes == null ? 0 : 1

  resource_arn = aws_api_gateway_stage.this.arn
  web_acl_arn  = aws_wafv2_web_acl.this[0].arn
}
