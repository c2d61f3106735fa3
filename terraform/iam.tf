# What each function may do besides writing its own logs (the function module adds that).
# Least privilege: Bedrock only on the configured models, S3 only on the key prefixes the function
# uses, DynamoDB only on this stack's table and its byUser index.

locals {
  # bedrock:InvokeModel resources. A base model id is a foundation-model ARN in the Bedrock region.
  # A cross-region inference profile (us./eu./apac./global. ...) needs the profile ARN and the
  # foundation-model ARN of the base model in every region the profile routes to; the region segment
  # is the only wildcard. Global profiles also need the region-less ARN.
  # https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html
  inference_profile_pattern = "^(us|us-gov|eu|apac|jp|au|ca|global)\\.(.+)$"

  bedrock_model_arns = sort(distinct(flatten([
    for id in local.model_ids : can(regex(local.inference_profile_pattern, id)) ? concat(
      [
        "arn:${local.partition}:bedrock:${local.bedrock_region}:${local.account_id}:inference-profile/${id}",
        "arn:${local.partition}:bedrock:*::foundation-model/${regex(local.inference_profile_pattern, id)[1]}",
      ],
      startswith(id, "global.") ? ["arn:${local.partition}:bedrock:::foundation-model/${regex(local.inference_profile_pattern, id)[1]}"] : [],
      ) : [
      "arn:${local.partition}:bedrock:${local.bedrock_region}::foundation-model/${id}",
    ]
  ])))
}

data "aws_iam_policy_document" "function" {
  for_each = local.functions

  dynamic "statement" {
    for_each = each.value.calls_bedrock ? [1] : []

    content {
      sid       = "InvokeAllowedModels"
      actions   = ["bedrock:InvokeModel"]
      resources = local.bedrock_model_arns
    }
  }

  dynamic "statement" {
    for_each = length(each.value.s3_read) > 0 ? [1] : []

    content {
      sid       = "ReadImages"
      actions   = ["s3:GetObject"]
      resources = [for pattern in each.value.s3_read : "${module.storage.bucket_arn}/${pattern}"]
    }
  }

  dynamic "statement" {
    for_each = length(each.value.s3_write) > 0 ? [1] : []

    content {
      sid       = "WriteImages"
      actions   = ["s3:PutObject"]
      resources = [for pattern in each.value.s3_write : "${module.storage.bucket_arn}/${pattern}"]
    }
  }

  dynamic "statement" {
    for_each = length(each.value.s3_delete) > 0 ? [1] : []

    content {
      sid       = "DeleteImages"
      actions   = ["s3:DeleteObject"]
      resources = [for pattern in each.value.s3_delete : "${module.storage.bucket_arn}/${pattern}"]
    }
  }

  dynamic "statement" {
    for_each = length(each.value.dynamodb_items) > 0 ? [1] : []

    content {
      sid       = "ReadWriteRecords"
      actions   = each.value.dynamodb_items
      resources = [module.database.table_arn]
    }
  }

  dynamic "statement" {
    for_each = each.value.query_by_user ? [1] : []

    content {
      sid       = "ListRecordsByUser"
      actions   = ["dynamodb:Query"]
      resources = [module.database.user_index_arn]
    }
  }

  dynamic "statement" {
    for_each = each.key == "jobs" ? [1] : []

    content {
      sid       = "StartJobWorker"
      actions   = ["lambda:InvokeFunction"]
      resources = [local.job_worker_arn]
    }
  }
}
