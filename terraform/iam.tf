# What each function may do besides writing its own logs (the function module adds that).
# Least privilege: Bedrock only on the configured models in the Regions they are called in, S3 only on the key prefixes the function
# uses, DynamoDB only on this stack's table and its byUser index.

locals {
  # bedrock:InvokeModel resources, in the Regions the functions call each model in. Those come from
  # shared/models/model-regions.json, the file the code routes calls with (shared/models/model-regions.ts),
  # so the policy and the calls cannot disagree:
  # - a base model id: its foundation-model ARN in each Region the file lists for it (the code calls
  #   the stack's Bedrock Region when it is one of them, else the first);
  # - a geographic inference profile (us., eu., ...): the profile ARN in each Region the file lists for
  #   that geography (where the call is made from) and the base model's foundation-model ARN in the
  #   same Regions (where Bedrock may run it);
  # - nothing listed, and global. profiles: the stack's Bedrock Region, as before (global. also needs
  #   the region-less foundation-model ARN and may run anywhere).
  # https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html
  inference_profile_pattern = "^(us|us-gov|eu|apac|jp|au|ca|global)\\.(.+)$"
  model_regions             = jsondecode(file(local.model_regions_path)).models

  bedrock_model_arns = sort(distinct(flatten([
    for id in local.model_ids : can(regex(local.inference_profile_pattern, id)) ? (
      startswith(id, "global.") ? [
        "arn:${local.partition}:bedrock:${local.bedrock_region}:${local.account_id}:inference-profile/${id}",
        "arn:${local.partition}:bedrock:*::foundation-model/${regex(local.inference_profile_pattern, id)[1]}",
        "arn:${local.partition}:bedrock:::foundation-model/${regex(local.inference_profile_pattern, id)[1]}",
        ] : flatten([
          for region in local.profile_regions[id] : [
            "arn:${local.partition}:bedrock:${region}:${local.account_id}:inference-profile/${id}",
            "arn:${local.partition}:bedrock:${region}::foundation-model/${regex(local.inference_profile_pattern, id)[1]}",
          ]
      ])
      ) : [
      for region in local.foundation_model_regions[id] : "arn:${local.partition}:bedrock:${region}::foundation-model/${id}"
    ]
  ])))

  # Regions per configured id, from model-regions.json; the stack's Bedrock Region when it lists none.
  foundation_model_regions = {
    for id in local.model_ids : id => coalescelist(try(local.model_regions[id].regions, []), [local.bedrock_region])
    if !can(regex(local.inference_profile_pattern, id))
  }
  profile_regions = {
    for id in local.model_ids : id => coalescelist(
      try(local.model_regions[regex(local.inference_profile_pattern, id)[1]].profiles[regex(local.inference_profile_pattern, id)[0]], []),
      [local.bedrock_region],
    ) if can(regex(local.inference_profile_pattern, id)) && !startswith(id, "global.")
  }
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

  # One S3 statement per kind of access the function has, on the key patterns it lists for it; a
  # list (not a map) keeps the statements in this order in the rendered policy.
  dynamic "statement" {
    for_each = [
      for access in [
        { sid = "ReadImages", action = "s3:GetObject", patterns = each.value.s3_read },
        { sid = "WriteImages", action = "s3:PutObject", patterns = each.value.s3_write },
        { sid = "DeleteImages", action = "s3:DeleteObject", patterns = each.value.s3_delete },
      ] : access if length(access.patterns) > 0
    ]

    content {
      sid       = statement.value.sid
      actions   = [statement.value.action]
      resources = [for pattern in statement.value.patterns : "${module.storage.bucket_arn}/${pattern}"]
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
