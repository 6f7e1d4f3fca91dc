import { DockerfileParser, type From, type Instruction } from 'dockerfile-ast';

/**
 * A small Dockerfile linter for the rules we care about (hadolint is not available here). Returns one message per
 * problem, empty when the Dockerfile is fine.
 */
export function lintDockerfile(content: string): string[] {
  const dockerfile = DockerfileParser.parse(content);
  const problems: string[] = [];
  const instructions = dockerfile.getInstructions();
  const froms = dockerfile.getFROMs();
  const stageNames = new Set(froms.map((f) => f.getBuildStage()).filter((s): s is string => s !== null));
  const line = (i: Instruction) => `line ${i.getRange().start.line + 1}`;

  if (froms.length < 2) problems.push('not multi-stage: build and runtime must be separate stages');
  for (const from of froms) problems.push(...lintFrom(from, stageNames, line(from)));

  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArgumentsContent() ?? '';
    if (keyword === 'ADD') {
      problems.push(
        /https?:\/\//i.test(args) ? `${line(instruction)}: ADD of a URL` : `${line(instruction)}: ADD instead of COPY`,
      );
    }
    if (keyword === 'MAINTAINER') problems.push(`${line(instruction)}: MAINTAINER is deprecated`);
    if (keyword === 'WORKDIR' && !args.startsWith('/')) problems.push(`${line(instruction)}: WORKDIR must be absolute`);
    if (keyword === 'RUN') {
      if (/\bsudo\b/.test(args)) problems.push(`${line(instruction)}: sudo in RUN`);
      if (/\bcurl\b[^|]*\|\s*(ba)?sh/.test(args)) problems.push(`${line(instruction)}: piping a download into a shell`);
      if (/apt-get install/.test(args) && !/--no-install-recommends/.test(args)) {
        problems.push(`${line(instruction)}: apt-get install without --no-install-recommends`);
      }
      if (/\bnpm (install|i)\b/.test(args)) problems.push(`${line(instruction)}: npm install instead of npm ci`);
    }
    if (keyword === 'ENV' && /(SECRET|PASSWORD|TOKEN|API_KEY)\w*=/i.test(args)) {
      problems.push(`${line(instruction)}: secret-looking value baked into ENV`);
    }
  }

  const finalStageStart = froms.at(-1)?.getRange().start.line ?? 0;
  const finalStage = instructions.filter((i) => i.getRange().start.line >= finalStageStart);
  const users = finalStage.filter((i) => i.getKeyword() === 'USER');
  const lastUser = users.at(-1)?.getArgumentsContent()?.trim();
  if (!lastUser) problems.push('final stage has no USER: it would run as root');
  else if (/^(root|0)(:|$)/.test(lastUser)) problems.push(`final stage runs as ${lastUser}`);
  if (finalStage.some((i) => i.getKeyword() === 'RUN' && /\bnpm (ci|install)\b/.test(i.getArgumentsContent() ?? ''))) {
    problems.push('final stage installs packages: copy the built output from the build stage instead');
  }
  const stopSignal = finalStage
    .find((i) => i.getKeyword() === 'STOPSIGNAL')
    ?.getArgumentsContent()
    ?.trim();
  if (stopSignal !== 'SIGTERM') problems.push('final stage must declare STOPSIGNAL SIGTERM');
  const command = finalStage.filter((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT').at(-1);
  if (!command) problems.push('final stage has no CMD or ENTRYPOINT');
  else if (!(command.getArgumentsContent() ?? '').trim().startsWith('[')) {
    problems.push(`${line(command)}: ${command.getKeyword()} in shell form (signals would go to /bin/sh, not node)`);
  }
  return problems;
}

function lintFrom(from: From, stageNames: ReadonlySet<string>, where: string): string[] {
  const image = from.getImageName();
  if (!image) return [`${where}: FROM without an image`];
  if (stageNames.has(image)) return []; // FROM an earlier stage
  const problems: string[] = [];
  if (/\$/.test(from.getImage() ?? ''))
    problems.push(`${where}: base image from a variable cannot be checked for a pin`);
  const tag = from.getImageTag();
  const digest = from.getImageDigest();
  if (!tag && !digest) problems.push(`${where}: ${image} is not pinned (no tag or digest)`);
  if (tag === 'latest') problems.push(`${where}: ${image}:latest`);
  if (tag && !digest && !/\d+\.\d+/.test(tag))
    problems.push(`${where}: ${image}:${tag} is a floating tag; pin major.minor at least`);
  if (!from.getBuildStage()) problems.push(`${where}: stage without a name (FROM … AS <name>)`);
  return problems;
}
