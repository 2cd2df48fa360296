import { appAuth } from "@ghes-sdk/auth";
import { connect } from "@ghes-sdk/connect";

// GHES 3.21 and later serve REST API 2026-03-10 beside 2022-11-28; ask for it by name.
const gh = await connect({
  baseUrl: process.env.GHES_HOST!,
  auth: appAuth({ appId: Number(process.env.GHES_APP_ID), privateKey: process.env.GHES_APP_PRIVATE_KEY! }),
  apiVersion: "2026-03-10",
});

// A literal apiVersion narrows gh to the era named by it: no switch needed.
const { data: app } = await gh.client.GET("/app");
console.log(`GHES ${gh.version} (${gh.era}): ${app?.name}, REST API ${gh.apiVersion}`);
